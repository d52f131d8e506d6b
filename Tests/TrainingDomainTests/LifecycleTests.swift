import Foundation
import Testing
import TrainingDomain

@Suite struct LifecycleTests {
    @Test("a recruit goes from hire to permanent status, every stage on record")
    func happyPath() throws {
        var s = Scenario.hired()
        #expect(s.file.stage == .hired)
        s = Scenario.inAcademy()
        #expect(s.file.stage == .academy)
        s = Scenario.graduated()
        #expect(s.file.stage == .academyGraduated)
        s = Scenario.inFieldTraining()
        #expect(s.file.stage == .fieldTraining)
        #expect(s.file.fieldTraining?.currentPhase?.number == 1)

        s = Scenario.readyForSolo()
        let readiness = Readiness.evaluate(s.file, policy: s.policy, on: Scenario.soloDay)
        #expect(readiness.readyForSoloPatrol, "\(readiness.failingSoloGates)")
        try s.run(.requestSoloRelease(on: Scenario.soloDay, releaseStatement: "Released to L car."))
        #expect(s.file.fieldTraining?.pendingRelease?.requestedBy == Scenario.sergeant.id)
        #expect(s.file.stage == .fieldTraining)  // nothing is released until the chief concurs
        try s.run(.concurInSoloRelease(on: Scenario.soloDay), as: Scenario.chief)
        #expect(s.file.stage == .soloPatrol)
        #expect(s.file.fieldTraining?.soloClearance?.concurredBy == Scenario.chief.id)
        try s.run(.startProbation(start: Scenario.soloDay))
        #expect(s.file.stage == .probation)
        let end = try #require(s.file.probation?.end)
        #expect(end == Scenario.soloDay.adding(months: 12))
        for interval in [3, 6, 9, 12] {
            s.today = Scenario.soloDay.adding(months: interval)
            try s.run(
                .reviewProbation(interval: interval, outcome: .satisfactory, notes: "Meets standards.", on: Scenario.soloDay.adding(months: interval))
            )
        }
        s.today = end.adding(days: 1)
        try s.run(.completeProbation(on: end))
        #expect(s.file.stage == .permanent)
        // Folding the recorded entries again gives the same file.
        #expect(TrainingDecider.fold(s.entries) == s.file)
        // Every entry names its author and role.
        #expect(s.entries.allSatisfy { !$0.actor.id.rawValue.isEmpty })
    }

    @Test("readiness lists every failing gate and expected milestones")
    func readinessGates() {
        let s = Scenario.inFieldTraining()
        let readiness = Readiness.evaluate(s.file, policy: s.policy, on: Scenario.fieldTrainingStart.adding(days: 10))
        let failing = Set(readiness.failingSoloGates.map(\.name))
        #expect(failing == ["phases complete", "minimum length", "checklist", "recent DORs", "coursework", "FTO attestation"])
        #expect(readiness.milestones.map(\.name).contains("solo patrol"))
        let solo = readiness.milestones.first { $0.name == "solo patrol" }?.expected
        #expect(solo == Scenario.soloDay)
    }

    @Test(
        "coursework is current, expiring with days left, or overdue",
        arguments: [
            (30, "current"), (300, "expiring in 65 days"), (400, "overdue since 2026-01-01"), (-1, "never completed"),
        ])
    func courseCurrency(daysAfter: Int, label: String) {
        var s = Scenario.hired()
        let completed = Day("2025-01-01")!
        if daysAfter >= 0 {
            s.given(
                .recordCourse(
                    courseType: "use_of_force", title: "UoF", hours: 4, provider: "PPD", instructor: nil, completedOn: completed,
                    certificateReference: nil))
        }
        let day = completed.adding(days: max(daysAfter, 0))
        let status = Readiness.evaluate(s.file, policy: s.policy, on: day).coursework.first { $0.type == "use_of_force" }
        #expect(status?.currency.label == label)
    }

    @Test("a correction replaces an entry's content and its DOR needs a fresh acknowledgement")
    func correctionOfDOR() throws {
        var s = Scenario.inFieldTraining()
        let day = Scenario.fieldTrainingStart.adding(days: 1)
        let dor = s.given(
            .fileDailyObservation(
                fto: Scenario.fto1.id, shiftDate: day, ratings: Scenario.rated(["report_writing": .score(3)]), narrative: "Late report."),
            as: Scenario.fto1)
        s.given(.acknowledgeDailyObservation(report: dor.id, signed: true, note: nil, on: day), as: Scenario.traineeActor)
        #expect(s.file.fieldTraining?.dors[dor.id]?.acknowledgement != nil)
        let fixed = DailyObservationReported(fto: Scenario.fto1.id, shiftDate: day, phase: 1, ratings: Scenario.acceptable(), narrative: "")
        try s.run(
            .correctEntry(entry: dor.id, reason: "Rating keyed wrong", replacement: .dailyObservationReported(fixed), on: day), as: Scenario.fto1)
        let report = try #require(s.file.fieldTraining?.dors[dor.id])
        #expect(report.ratings["report_writing"] == .score(4))
        #expect(report.acknowledgement == nil)
        #expect(report.amended)
        if case .corrected = s.file.entry(dor.id)?.status {} else { Issue.record("original should be marked corrected") }
        try s.run(.acknowledgeDailyObservation(report: dor.id, signed: true, note: nil, on: day), as: Scenario.traineeActor)
        #expect(s.file.fieldTraining?.dors[dor.id]?.acknowledgement?.signed == true)
        #expect(TrainingDecider.fold(s.entries) == s.file)
    }

    @Test("a retraction withdraws an entry: a retracted remedial item no longer blocks sign-off")
    func retraction() throws {
        var s = Scenario.phaseOneEvaluated()
        let remedial = s.given(
            .assignRemedial(
                category: "report_writing", due: Scenario.fieldTrainingStart.adding(days: 20), plan: "Two practice reports",
                on: Scenario.fieldTrainingStart.adding(days: 2)))
        #expect(s.file.fieldTraining?.openRemedial.count == 1)
        try s.run(.retractEntry(entry: remedial.id, reason: "Entered on the wrong trainee", on: Scenario.fieldTrainingStart.adding(days: 3)))
        #expect(s.file.fieldTraining?.openRemedial.isEmpty == true)
        try s.run(.completePhase(phase: 1, on: Scenario.fieldTrainingStart.adding(days: 42), earlyCompletionReason: nil))
    }
}

import Testing
import TrainingDomain

// The program as POST's Field Training Program Guide structures it, and the plausibility
// checks: one table row per rule, then the accepted paths (overrides, paper, evaluations).

private let fto3 = Scenario.fto3

let programRuleCases: [RuleCase] = [
    // Plausibility: refused with the check named, or overridable with a reason where policy allows.
    RuleCase(
        name: "no hire before the agency existed", setup: { Scenario() },
        command: { _ in
            .hireRecruit(trainee: Scenario.trainee, name: "Dana Whitfield", badge: "R-1", hireDate: Day("1880-03-01")!, agency: AgencyID("p"))
        },
        rule: .implausible, mentions: ["before the agency was founded (1886-06-19)", "hire_before_agency", "no override"]),
    RuleCase(
        name: "an academy class far ahead needs an override reason", setup: { Scenario.hired() },
        command: { s in .enrollInAcademy(classNumber: "OC-30-1", academy: "OC", start: s.today.adding(months: 30), source: nil) },
        rule: .implausible, mentions: ["more than 12 months ahead", "academy_far_ahead", "override reason"]),
    RuleCase(
        name: "probation is not extended past the policy's maximum", setup: { Scenario.onProbation() },
        command: { s in .extendProbation(newEnd: s.soloDay.adding(months: 30), reason: "More time", on: s.today) },
        rule: .implausible, mentions: ["longest probation policy allows (24 months", "probation_beyond_maximum"]),
    RuleCase(
        name: "a second review for one interval needs an override reason",
        setup: {
            var s = Scenario.onProbation()
            s.today = s.soloDay.adding(months: 3)
            s.given(.reviewProbation(interval: 3, outcome: .satisfactory, notes: "On track", on: s.today))
            return s
        },
        command: { s in .reviewProbation(interval: 3, outcome: .needsImprovement, notes: "Again", on: s.today) },
        rule: .implausible, mentions: ["3-month review was already recorded", "duplicate_review"]),
    RuleCase(
        name: "no result for a test the academy does not give", setup: { Scenario.inAcademy() },
        command: { _ in
            .recordAcademyTest(
                test: AcademyTestKey(domain: "LD 99", test: "written"), passed: true, score: 90, instructor: "V", on: Scenario.hire.adding(days: 30),
                source: nil)
        },
        actor: Scenario.instructor, rule: .implausible, mentions: ["LD 99 written is not a test the academy gives", "unknown_academy_test"]),
    RuleCase(
        name: "a pass with a failing score needs an override reason", setup: { Scenario.inAcademy() },
        command: { _ in
            .recordAcademyTest(
                test: AcademyTestKey(domain: "LD 1", test: "written"), passed: true, score: 52, instructor: "V", on: Scenario.hire.adding(days: 30),
                source: nil)
        },
        actor: Scenario.instructor, rule: .implausible, mentions: ["score of 52.0, below the passing score 70.0", "pass_with_failing_score"]),
    RuleCase(
        name: "a badge number belongs to one person",
        setup: {
            var s = Scenario()
            s.badgeHolders = ["R-2291": TraineeID("t-077")]
            return s
        },
        command: { _ in
            .hireRecruit(trainee: Scenario.trainee, name: "Dana Whitfield", badge: "R-2291", hireDate: Scenario.hire, agency: AgencyID("p"))
        },
        rule: .implausible, mentions: ["badge R-2291 is already held by t-077", "duplicate_badge"], override: "Reissued badge"),
    RuleCase(
        name: "a task is signed once", setup: { Scenario.readyForSolo() },
        command: { s in .signOffTask(task: "dui_arrest", fto: Scenario.fto1.id, callReference: nil, on: s.today) }, actor: Scenario.fto1,
        rule: .implausible, mentions: ["dui_arrest was already signed off by fto.ramos", "task_signed_twice"]),
    RuleCase(
        name: "a DOR rates every category or marks it N/O", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 2), ratings: ["radio_use": .score(4)], narrative: "")
        },
        actor: Scenario.fto1, rule: .implausible, mentions: ["18 of 19 categories are neither rated nor marked N/O", "categories_unrated"]),
    RuleCase(
        name: "an override reason with nothing to override is refused", setup: { Scenario.hired() },
        command: { _ in .enrollInAcademy(classNumber: "OC-25-1", academy: "OC", start: Scenario.hire.adding(days: 7), source: nil) },
        rule: .invalidInput, mentions: ["nothing in this entry needs overriding"], override: "Just in case"),
    // The program's records.
    RuleCase(
        name: "a phase is signed off after its evaluation", setup: { Scenario.inFieldTraining() },
        command: { _ in .completePhase(phase: 1, on: ftStart.adding(days: 42), earlyCompletionReason: nil) },
        rule: .evaluationMissing, mentions: ["phase 1 has no phase evaluation"]),
    RuleCase(
        name: "a phase is signed off only when its evaluation recommends advancing",
        setup: {
            var s = Scenario.inFieldTraining()
            var report = Scenario.advancing()
            report.recommendation = .extend
            s.given(.evaluatePhase(phase: 1, evaluator: fto3.id, report: report, on: ftStart.adding(days: 40)), as: fto3)
            return s
        },
        command: { _ in .completePhase(phase: 1, on: ftStart.adding(days: 42), earlyCompletionReason: nil) },
        rule: .evaluationMissing, mentions: ["recommends extend, not advancing"]),
    RuleCase(
        name: "the phase's own FTO does not evaluate it", setup: { Scenario.inFieldTraining() },
        command: { _ in .evaluatePhase(phase: 1, evaluator: Scenario.fto1.id, report: Scenario.advancing(), on: ftStart.adding(days: 40)) },
        actor: Scenario.fto1, rule: .notAuthorized, mentions: ["trains this phase and cannot also evaluate it"]),
    RuleCase(
        name: "an End of Phase Report comes from the phase's FTO", setup: { Scenario.inFieldTraining() },
        command: { _ in .reportEndOfPhase(phase: 1, fto: fto3.id, report: Scenario.advancing(), on: ftStart.adding(days: 40)) }, actor: fto3,
        rule: .ftoNotAssigned, mentions: ["not assigned to phase 1"]),
    RuleCase(
        name: "only checklist tasks are signed", setup: { Scenario.inFieldTraining() },
        command: { _ in .signOffTask(task: "juggling", fto: Scenario.fto1.id, callReference: nil, on: ftStart.adding(days: 3)) },
        actor: Scenario.fto1, rule: .unknownTask, mentions: ["not on the competency checklist"]),
    RuleCase(
        name: "the trainee acknowledges only signed tasks", setup: { Scenario.inFieldTraining() },
        command: { _ in .acknowledgeTask(task: "dui_arrest", on: ftStart.adding(days: 3)) }, actor: Scenario.traineeActor,
        rule: .taskNotSigned, mentions: ["dui_arrest has not been signed off"]),
    RuleCase(
        name: "orientation lasts as long as policy asks",
        setup: {
            var s = Scenario.graduated()
            s.given(.startFieldTraining(on: ftStart))
            return s
        },
        command: { _ in .recordOrientation(from: ftStart, to: ftStart.adding(days: 1), topics: []) },
        rule: .invalidInput, mentions: ["orientation of 2 days is shorter than the 1 week(s) policy requires"]),
    RuleCase(
        name: "orientation is recorded once", setup: { Scenario.inFieldTraining() },
        command: { _ in .recordOrientation(from: ftStart, to: ftStart.adding(days: 1), topics: []) },
        rule: .alreadyCompleted, mentions: ["orientation was recorded already"]),
    RuleCase(
        name: "an FTO needs a POST Basic Certificate",
        setup: {
            var s = Scenario.inFieldTraining()
            s.ftoQualifications[Scenario.fto2.id]?.basicCertificate = nil
            return s
        },
        command: { _ in .assignFTO(fto: Scenario.fto2.id, phase: 1, on: ftStart) }, rule: .ftoNotQualified, mentions: ["POST Basic Certificate"]),
    RuleCase(
        name: "an FTO needs a year of uniformed patrol",
        setup: {
            var s = Scenario.inFieldTraining()
            s.ftoQualifications[Scenario.fto2.id]?.patrolSince = ftStart.adding(days: -100)
            return s
        },
        command: { _ in .assignFTO(fto: Scenario.fto2.id, phase: 1, on: ftStart) }, rule: .ftoNotQualified,
        mentions: ["less than 12 months of uniformed patrol"]),
    RuleCase(
        name: "a weekly report's weak categories come with a plan", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .reportSupervisorWeekly(
                weekEnding: ftStart.adding(days: 6), report: WeeklyReportContent(summary: "Slow start", needsImprovement: ["report_writing"]))
        },
        rule: .invalidInput, mentions: ["plan"]),
    RuleCase(
        name: "an extension signed after the end date is refused, even from paper",
        setup: {
            var s = Scenario.onProbation()
            s.today = s.soloDay.adding(months: 13)
            return s
        },
        command: { s in .extendProbation(newEnd: s.soloDay.adding(months: 18), reason: "Needs time", on: s.soloDay.adding(months: 12).adding(days: 2))
        },
        rule: .extensionTooLate, mentions: ["must be signed before the end date"],
        document: PaperDocument(reference: "Memo 24-117", signedOn: Scenario.soloDay.adding(months: 12).adding(days: 2))),
]

@Suite struct ProgramTests {
    @Test("an overridable check accepts the entry with the reason recorded beside it")
    func overrideRecorded() throws {
        var s = Scenario.hired()
        let start = s.today.adding(months: 18)
        let entry = try s.run(
            .enrollInAcademy(classNumber: "OC-28-2", academy: "OC", start: start, source: nil), override: "Only class with a seat for a lateral")
        #expect(s.file.academy?.start == start)
        #expect(
            s.file.overrides == [
                OverrideRecord(
                    entry: entry.id, check: .academyFarAhead, reason: "Only class with a seat for a lateral", by: Scenario.sergeant, on: s.today)
            ])
        #expect(s.entries.suffix(2).map(\.event.type) == [AcademyEnrolled.type, PlausibilityOverridden.type])
        #expect(TrainingDecider.fold(s.entries) == s.file)
    }

    @Test("a probation extension signed on paper before the deadline is recorded after it from that paper")
    func paperExtension() throws {
        var s = Scenario.onProbation()
        let end = s.soloDay.adding(months: 12)
        s.today = end.adding(days: 20)
        let signed = end.adding(days: -3)
        let late = #expect(throws: DomainError.self) {
            try s.run(.extendProbation(newEnd: end.adding(months: 6), reason: "Needs more patrol time", on: signed))
        }
        #expect(late?.rule == .extensionTooLate)
        #expect(late?.message.contains("signed on paper before then") == true)
        try s.run(
            .extendProbation(newEnd: end.adding(months: 6), reason: "Needs more patrol time", on: signed),
            document: PaperDocument(reference: "Personnel memo 2027-114", signedOn: signed))
        #expect(s.file.probation?.end == end.adding(months: 6))
    }

    @Test("the solo gates include orientation and the trainee's acknowledgement of each task")
    func programGates() throws {
        var s = Scenario.readyForSolo()
        #expect(Readiness.evaluate(s.file, policy: s.policy, on: s.today).readyForSoloPatrol)
        // The same trainee without the acknowledgements and the orientation.
        let withoutAcks = s.entries.filter {
            switch $0.event {
            case .trainingTaskAcknowledged, .orientationCompleted: false
            default: true
            }
        }
        s.file = TrainingDecider.fold(withoutAcks)
        let failing = Readiness.evaluate(s.file, policy: s.policy, on: s.today).failingSoloGates.map(\.summary)
        #expect(failing.contains("orientation: no agency orientation on record (1 week(s) required)"))
        #expect(failing.contains { $0.hasPrefix("checklist: not acknowledged by the trainee: felony_vehicle_stop") })
    }

    @Test("phase reports keep their content; the evaluation that counts is the latest")
    func phaseReports() throws {
        var s = Scenario.inFieldTraining()
        let report = PhaseReportContent(
            ratings: Scenario.rated(["report_writing": .score(3)]), strengths: ["officer_safety"], needsImprovement: ["report_writing"],
            recommendation: .remedial, narrative: "Reports late; safety excellent.")
        try s.run(.reportEndOfPhase(phase: 1, fto: Scenario.fto1.id, report: report, on: ftStart.adding(days: 40)), as: Scenario.fto1)
        var extend = Scenario.advancing()
        extend.recommendation = .extend
        try s.run(.evaluatePhase(phase: 1, evaluator: fto3.id, report: extend, on: ftStart.adding(days: 41)), as: fto3)
        try s.run(.evaluatePhase(phase: 1, evaluator: Scenario.sergeant.id, report: Scenario.advancing(), on: ftStart.adding(days: 48)))
        let phase = try #require(s.file.fieldTraining?.phase(1))
        #expect(phase.endOfPhaseReports.map(\.recommendation) == [.remedial])
        #expect(phase.endOfPhaseReports.first?.ratings["report_writing"] == .score(3))
        #expect(phase.evaluation?.author == Scenario.sergeant.id)
        #expect(phase.evaluation?.recommendation == .advance)
        try s.run(.completePhase(phase: 1, on: ftStart.adding(days: 48), earlyCompletionReason: nil))
    }

    @Test("a weekly report records its content; old reports read as a summary alone")
    func weeklyReportContent() throws {
        var s = Scenario.inFieldTraining()
        let entry = try s.run(
            .reportSupervisorWeekly(
                weekEnding: ftStart.adding(days: 6),
                report: WeeklyReportContent(
                    summary: "Good first week", strengths: ["appearance"], needsImprovement: ["radio_use"], plan: "Radio drills")))
        guard case .supervisorWeeklyReported(let weekly) = entry.event else {
            Issue.record("not a weekly report")
            return
        }
        #expect(weekly.phase == 1)
        #expect(weekly.ftos == [Scenario.fto1.id])
        #expect(weekly.needsImprovement == ["radio_use"])
        let old = try EventCodec.decode(
            type: SupervisorWeeklyReported.type, schemaVersion: 1, json: #"{"weekEnding":"2025-08-01","summary":"Fine"}"#)
        #expect(old == .supervisorWeeklyReported(SupervisorWeeklyReported(weekEnding: Day("2025-08-01")!, summary: "Fine")))
    }

    @Test("a policy adopted before the program was modelled decodes as it was judged then")
    func oldPolicyDecodes() throws {
        let json = #"""
            {"name":"2024 program","academy":{"lengthWeeks":26,"retestsAllowed":1,"requiredTests":[]},
             "fieldTraining":{"phases":[{"number":1,"name":"P1","minimumWeeks":12}],"maximumExtensionsPerPhase":1,
               "categories":["report_writing"],"narrativeRequiredBelow":4,"narrativeRequiredAbove":5,"soloClearanceRecentDORs":3,
               "acceptableRating":4,"requiredTasks":["dui_arrest"],"requiredCoursesForSolo":[]},
             "probation":{"months":12,"reviewIntervalMonths":3,"startsAt":"hire","warningDays":60},
             "courses":[],"ftoUpdateEveryMonths":36}
            """#
        let event = try EventCodec.decode(
            type: TrainingPolicyAdopted.type, schemaVersion: 1, json: #"{"effective":"2024-01-01","policy":"# + json + "}")
        guard case .trainingPolicyAdopted(let adopted) = event else {
            Issue.record("not a policy")
            return
        }
        let training = adopted.policy.fieldTraining
        #expect(training.requiredTasks == ["dui_arrest"])
        #expect(training.orientationWeeks == 0 && !training.everyCategoryRated && !training.phaseEvaluationRequired)
        #expect(!training.traineeAcknowledgesTasks)
        #expect(adopted.policy.ftoEligibility == .courseOnly)
        #expect(adopted.policy.plausibility.agencyFoundedOn == nil)
        #expect(training.ratingScale == .oneToSeven)
    }
}

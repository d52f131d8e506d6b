import Foundation
import Testing
import TrainingDomain

/// Generates plausible commands (many valid, many not) from the scenario's current state.
enum CommandGenerator {
    static let actors = [Scenario.sergeant, Scenario.fto1, Scenario.fto2, Scenario.instructor, Scenario.chief, Scenario.traineeActor]

    static func next(_ s: Scenario, _ g: inout SeededGenerator) -> (TrainingCommand, Actor) {
        let policy = s.policy
        let day = s.today.adding(days: -Int.random(in: 0...30, using: &g))
        let fto = Bool.random(using: &g) ? Scenario.fto1 : Scenario.fto2
        let phase = s.file.fieldTraining?.currentPhase?.number ?? Int.random(in: 1...4, using: &g)
        let category = policy.fieldTraining.categories.randomElement(using: &g)!
        let anyEntry = s.entries.randomElement(using: &g)?.id ?? EntryID("none")
        let dor = s.file.fieldTraining?.dors.keys.sorted().randomElement(using: &g) ?? anyEntry
        let remedial = s.file.fieldTraining?.remedial.keys.sorted().randomElement(using: &g) ?? anyEntry
        func rating() -> Rating {
            switch Int.random(in: 0..<100, using: &g) {
            case 0..<5: .notObserved
            case 5..<7: .notRespondingToTraining
            case 7..<10: .score(Int.random(in: 0...9, using: &g))
            case 10..<15: .score(3)
            default: .score(Int.random(in: 4...6, using: &g))
            }
        }
        let commands: [(TrainingCommand, Actor)] = [
            (
                .hireRecruit(trainee: Scenario.trainee, name: "Dana Whitfield", badge: "R-2291", hireDate: Scenario.hire, agency: AgencyID("p")),
                Scenario.sergeant
            ),
            (
                .enrollInAcademy(
                    classNumber: "C\(Int.random(in: 1...3, using: &g))", academy: "OC", start: Scenario.hire.adding(days: 7), source: nil),
                Scenario.sergeant
            ),
            (
                .recordAcademyTest(
                    test: policy.academy.requiredTests.randomElement(using: &g)!, passed: Int.random(in: 0..<10, using: &g) > 0, score: 80,
                    instructor: "V", on: day, source: nil), Scenario.instructor
            ),
            (.graduateAcademy(on: day), Scenario.sergeant),
            (.recycleAcademy(toClass: "C9", reason: "Injury", on: day), Scenario.sergeant),
            (.startFieldTraining(on: day), Scenario.sergeant),
            (.assignFTO(fto: fto.id, phase: phase, on: day), Scenario.sergeant),
            (
                .fileDailyObservation(
                    fto: fto.id, shiftDate: day,
                    ratings: Int.random(in: 0..<10, using: &g) == 0
                        ? [category: rating()]
                        : Scenario.rated(
                            Dictionary(
                                [(category, rating()), (policy.fieldTraining.categories.randomElement(using: &g)!, rating())],
                                uniquingKeysWith: { first, _ in first }), policy: policy),
                    narrative: Bool.random(using: &g) ? "Narrative." : ""), fto
            ),
            (.acknowledgeDailyObservation(report: dor, signed: true, note: nil, on: day), Scenario.traineeActor),
            (.assignRemedial(category: category, due: day.adding(days: 14), plan: "Practice", on: day), Scenario.sergeant),
            (.completeRemedial(remedial: remedial, notes: "Done", on: day), Scenario.sergeant),
            (.failRemedial(remedial: remedial, notes: "Not yet", on: day), Scenario.sergeant),
            (.extendPhase(phase: phase, weeks: Int.random(in: 1...3, using: &g), reason: "More time", on: day), Scenario.sergeant),
            (.completePhase(phase: phase, on: day, earlyCompletionReason: Bool.random(using: &g) ? "Ahead of plan" : nil), Scenario.sergeant),
            (.signOffTask(task: policy.fieldTraining.requiredTasks.randomElement(using: &g)!, fto: fto.id, callReference: nil, on: day), fto),
            (.attestCompetency(fto: fto.id, statement: "Competent", on: day), fto),
            (Bool.random(using: &g)
                ? (.requestSoloRelease(on: day, releaseStatement: "Go"), Scenario.sergeant) : (.concurInSoloRelease(on: day), Scenario.chief)),
            (.startProbation(start: day), Scenario.sergeant),
            (.reviewProbation(interval: 3 * Int.random(in: 1...4, using: &g), outcome: .satisfactory, notes: "ok", on: day), Scenario.sergeant),
            (.extendProbation(newEnd: day.adding(months: 6), reason: "More time", on: day), Scenario.sergeant),
            (.completeProbation(on: day), Scenario.sergeant),
            (
                .recordCourse(
                    courseType: Bool.random(using: &g) ? "use_of_force" : "implicit_bias", title: "Refresher", hours: 4, provider: "PPD",
                    instructor: "Lt. Gray", completedOn: day, certificateReference: nil), Scenario.sergeant
            ),
            (.separate(kind: .resigned, reason: "Moving", on: day), Scenario.sergeant),
            (.recordOrientation(from: day.adding(days: -Int.random(in: 0...9, using: &g)), to: day, topics: ["policies"]), Scenario.sergeant),
            (.acknowledgeTask(task: policy.fieldTraining.requiredTasks.randomElement(using: &g) ?? "none", on: day), Scenario.traineeActor),
            (
                .evaluatePhase(
                    phase: phase, evaluator: Scenario.fto3.id,
                    report: PhaseReportContent(
                        ratings: Scenario.acceptable(policy.fieldTraining.acceptableRating, policy: policy),
                        recommendation: Int.random(in: 0..<4, using: &g) == 0 ? .extend : .advance, narrative: "Evaluated"), on: day),
                Scenario.fto3
            ),
            (
                .reportEndOfPhase(
                    phase: phase, fto: fto.id,
                    report: PhaseReportContent(
                        ratings: Scenario.acceptable(policy.fieldTraining.acceptableRating, policy: policy), recommendation: .advance,
                        narrative: "End of phase"), on: day), fto
            ),
            (.retractEntry(entry: anyEntry, reason: "Mistake", on: day), actors.randomElement(using: &g)!),
        ]
        // Weight the pipeline's everyday work (DORs, tasks) higher than rare events.
        // hire, enroll, test, graduate, recycle, start, assign, DOR, ack, remedial ×3, extend, complete phase, task,
        // attest, clear, probation ×5, course, separate, retract
        // orientation, task acknowledgement, phase evaluation, end-of-phase report
        let weights = [20, 20, 60, 30, 1, 30, 40, 150, 30, 15, 15, 3, 5, 40, 40, 15, 20, 15, 20, 3, 10, 25, 1, 4, 10, 30, 30, 10]
        var pick = Int.random(in: 0..<weights.reduce(0, +), using: &g)
        for (index, weight) in weights.enumerated() {
            if pick < weight { return commands[index] }
            pick -= weight
        }
        return commands[0]
    }
}

/// What must hold of every file `decide` lets us build: the domain's own consistency check,
/// plus the bitemporal facts it does not police itself.
func invariantViolations(_ file: PersonnelFile, policy: TrainingPolicy) -> [String] {
    var problems = file.consistencyProblems(policy: policy)
    // An override stands beside an entry of the file, for a check the policy lets be overridden.
    for override in file.overrides {
        if file.entry(override.entry) == nil { problems.append("override of \(override.check) names no entry") }
        if !policy.plausibility.allowsOverride(override.check) { problems.append("\(override.check) was overridden against policy") }
    }
    if let training = file.fieldTraining, let academy = file.academy, let graduated = academy.graduatedOn, training.startedOn < graduated {
        problems.append("field training started before graduation")
    }
    // After a separation only corrections and retractions may be recorded.
    if let separatedAt = file.effective.firstIndex(where: { if case .separated = $0.event { true } else { false } }) {
        for entry in file.effective[(separatedAt + 1)...] {
            switch entry.event {
            case .entryCorrected, .entryRetracted: continue
            default: problems.append("\(entry.event.type) was recorded after separation")
            }
        }
    }
    return problems
}

/// A random policy that makes sense as a whole (``TrainingPolicy/problems`` is empty): the
/// program model, phases, scale, checklist and each requirement switched on or off.
enum PolicyGenerator {
    static func random(_ g: inout SeededGenerator) -> TrainingPolicy {
        var policy = TrainingPolicy.pasadenaDefault
        policy.name = "random policy"
        var training = policy.fieldTraining
        training.program = Bool.random(using: &g) ? .fieldTrainingProgram : .policeTrainingProgram
        let count = Int.random(in: 1...4, using: &g)
        let weeks = (0..<count).map { _ in Int.random(in: 3...8, using: &g) }
        training.phases = weeks.enumerated().map { PhasePolicy(number: $0.offset + 1, name: "Phase \($0.offset + 1)", minimumWeeks: $0.element) }
        let shortBy = training.program.minimumWeeks - training.totalMinimumWeeks
        if shortBy > 0 { training.phases[count - 1].minimumWeeks += shortBy }
        training.orientationWeeks = Int.random(in: 1...2, using: &g)
        switch Int.random(in: 0..<3, using: &g) {
        case 0:
            training.ratingScale = .oneToSeven
            (training.acceptableRating, training.narrativeRequiredBelow, training.narrativeRequiredAbove) = (4, 4, 5)
        case 1:
            training.ratingScale = RatingScale(lowest: 1, highest: 5, labels: [1: "poor", 3: "acceptable", 5: "excellent"])
            (training.acceptableRating, training.narrativeRequiredBelow, training.narrativeRequiredAbove) = (3, 3, 4)
        default:
            training.ratingScale = .nics
            (training.acceptableRating, training.narrativeRequiredBelow, training.narrativeRequiredAbove) = (2, 2, 2)
        }
        training.guidelines = training.guidelines.mapValues { guideline in
            var guideline = guideline
            guideline.anchors = guideline.anchors.filter { training.ratingScale.contains($0.key) }
            return guideline
        }
        let kept = training.categories.filter { _ in Int.random(in: 0..<4, using: &g) > 0 }
        training.categories = kept.isEmpty ? [training.categories[0]] : kept
        training.guidelines = training.guidelines.filter { training.categories.contains($0.key) }
        training.checklist = training.checklist.map { section in
            ChecklistSection(
                name: section.name, tasks: section.tasks.map { ChecklistTask(id: $0.id, title: $0.title, required: Bool.random(using: &g)) })
        }
        training.everyCategoryRated = Bool.random(using: &g)
        training.traineeAcknowledgesTasks = Bool.random(using: &g)
        training.phaseEvaluationRequired = Bool.random(using: &g)
        training.soloClearanceRecentDORs = Int.random(in: 1...10, using: &g)
        training.maximumExtensionsPerPhase = Int.random(in: 0...3, using: &g)
        policy.fieldTraining = training
        policy.academy.retestsAllowed = Int.random(in: 0...2, using: &g)
        policy.probation.startsAt = Bool.random(using: &g) ? .hire : .soloClearance
        policy.probation.months = [12, 18][Int.random(in: 0...1, using: &g)]
        policy.probation.maximumMonths = policy.probation.months + 6
        policy.plausibility.overridable = PlausibilityCheck.allCases.filter { $0 != .duplicateBadge && Bool.random(using: &g) }
        policy.ftoEligibility = Bool.random(using: &g) ? .post : .courseOnly
        precondition(policy.problems.isEmpty, "generated an unsound policy: \(policy.problems)")
        return policy
    }
}

/// Runs one random history under a random policy (or the default, for a third of the seeds);
/// reports the first invariant broken, if any.
func simulate(seed: UInt64, steps: Int = 500) -> (scenario: Scenario, accepted: Int, reachedStages: Set<PersonnelFile.Stage>, problem: String?) {
    var g = SeededGenerator(seed: seed)
    let policies =
        seed % 3 == 2 ? PolicyBook.default : PolicyBook([(effective: Day("2020-01-01")!, policy: PolicyGenerator.random(&g))])
    // Walks start from an empty file, from field training, or from a recruit ready for solo
    // release, so the deep end of the pipeline is explored too.
    var s: Scenario
    switch seed % 3 {
    case 0: s = Scenario.readyForSolo(policies: policies)
    case 1:
        s = Scenario()
        s.policies = policies
    default: s = Scenario.inFieldTraining(policies: policies)
    }
    s.today = s.entries.last.map { max($0.occurredOn, Scenario.hire).adding(days: 1) } ?? Scenario.hire.adding(days: 1)
    var accepted = 0
    var stages: Set<PersonnelFile.Stage> = []
    for _ in 0..<steps {
        s.today = s.today.adding(days: Int.random(in: 0...3, using: &g))
        let (command, actor) = CommandGenerator.next(s, &g)
        let override = Int.random(in: 0..<8, using: &g) == 0 ? "Confirmed against the paper file" : nil
        if (try? s.run(command, as: actor, override: override)) != nil { accepted += 1 }
        stages.insert(s.file.stage)
        let problems = invariantViolations(s.file, policy: s.policy)
        if !problems.isEmpty { return (s, accepted, stages, "after \(command): \(problems)") }
    }
    return (s, accepted, stages, nil)
}

@Suite struct PropertyTests {
    @Test(
        "under random policies, any sequence decide accepts keeps every invariant; folding the entries from scratch gives the state built step by step; events round-trip",
        arguments: Array(UInt64(1)...UInt64(60)))
    func randomHistories(seed: UInt64) throws {
        let run = simulate(seed: seed)
        #expect(run.problem == nil, "seed \(seed): \(run.problem ?? "")")
        let s = run.scenario
        #expect(TrainingDecider.fold(s.entries) == s.file)
        for entry in s.entries {
            let encoded = try EventCodec.encode(entry.event)
            #expect(try EventCodec.decode(type: encoded.type, schemaVersion: encoded.schemaVersion, json: encoded.json) == entry.event)
            #expect(try compactRoundTrip(entry.event.payload, json: Array(encoded.json)), "\(encoded.type)")
        }
    }

    @Test("the random histories reach deep states (so the property above means something)")
    func coverage() {
        let runs = (UInt64(1)...UInt64(60)).map { simulate(seed: $0) }
        let reached = { (stage: PersonnelFile.Stage) in runs.filter { $0.reachedStages.contains(stage) }.count }
        #expect(reached(.fieldTraining) >= 15, "field training reached in \(reached(.fieldTraining)) of 60")
        #expect(reached(.soloPatrol) + reached(.probation) >= 1, "solo patrol reached in \(reached(.soloPatrol)) of 60")
        #expect(runs.map(\.accepted).reduce(0, +) >= 60 * 20)
    }
}

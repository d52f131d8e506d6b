import TrainingDomain

/// Drives the decider like the service layer would: fixed clock, incrementing entry ids.
struct Scenario {
    static let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    static let fto1 = Actor(id: OfficerID("fto.ramos"), role: .fto)
    static let fto2 = Actor(id: OfficerID("fto.chen"), role: .fto)
    /// Evaluates phases she does not train.
    static let fto3 = Actor(id: OfficerID("fto.adeyemi"), role: .fto)
    static let instructor = Actor(id: OfficerID("inst.vance"), role: .academyInstructor)
    static let chief = Actor(id: OfficerID("chief.perez"), role: .chief)
    static let trainee = TraineeID("t-100")
    static let traineeActor = Actor(id: OfficerID("t-100"), role: .trainee)
    static let hire = Day("2025-01-06")!

    var file = PersonnelFile()
    var entries: [Entry] = []
    var today = Day("2027-06-30")!
    var policies = PolicyBook.default
    var ftoQualifications: [OfficerID: FTOQualificationRecord] = {
        var record = FTOQualificationRecord()
        record.qualifiedOn = Day("2024-01-10")!
        record.basicCertificate = .init(number: "BC-1001", on: Day("2019-06-01")!)
        record.patrolSince = Day("2019-07-01")!
        return [fto1.id: record, fto2.id: record, fto3.id: record]
    }()
    var nextID = 1
    /// Whose record this is, when a case needs the decider to know.
    var subject: OfficerID?

    var policy: TrainingPolicy { policies.policy(on: today) }

    /// Badge numbers held by others in the agency (the service looks them up in the log).
    var badgeHolders: [String: TraineeID] = [:]

    @discardableResult
    mutating func run(
        _ command: TrainingCommand, as actor: Actor = Scenario.sergeant, override: String? = nil, document: PaperDocument? = nil
    ) throws(DomainError) -> Entry {
        let context = CommandContext(
            actor: actor, subject: subject, today: today, policies: policies, ftoQualifications: ftoQualifications,
            newEntryIDs: (0..<4).map { EntryID("e\(nextID)-\($0)") }, overrideReason: override, document: document, badgeHolders: badgeHolders)
        let new = try TrainingDecider.decide(command, file, context)
        nextID += 1
        for entry in new { TrainingDecider.evolve(&file, entry) }
        entries += new
        return new[0]
    }

    /// Applies a command that must succeed (test set-up).
    @discardableResult
    mutating func given(_ command: TrainingCommand, as actor: Actor = Scenario.sergeant) -> Entry {
        do {
            return try run(command, as: actor)
        } catch {
            fatalError("set-up command \(command) failed: \(error)")
        }
    }

    static func acceptable(_ value: Int = 4, policy: TrainingPolicy = .pasadenaDefault) -> [Category: Rating] {
        Dictionary(uniqueKeysWithValues: policy.fieldTraining.categories.map { ($0, Rating.score(value)) })
    }

    /// Every category acceptable, except those given.
    static func rated(_ changes: [Category: Rating], policy: TrainingPolicy = .pasadenaDefault) -> [Category: Rating] {
        acceptable(policy.fieldTraining.acceptableRating, policy: policy).merging(changes) { _, new in new }
    }

    /// Every category of the scenario's policy at its acceptable rating.
    var acceptableRatings: [Category: Rating] { Scenario.acceptable(policy.fieldTraining.acceptableRating, policy: policy) }

    /// A phase report with every category acceptable, recommending advancement.
    static func advancing(policy: TrainingPolicy = .pasadenaDefault) -> PhaseReportContent {
        PhaseReportContent(
            ratings: acceptable(policy.fieldTraining.acceptableRating, policy: policy), recommendation: .advance,
            narrative: "Meets the solo standard in every category.")
    }

    // MARK: - Stages

    static func hired(policies: PolicyBook = .default) -> Scenario {
        var s = Scenario()
        s.policies = policies
        s.given(.hireRecruit(trainee: trainee, name: "Dana Whitfield", badge: "R-2291", hireDate: hire, agency: AgencyID("pasadena")))
        return s
    }

    static func inAcademy(policies: PolicyBook = .default) -> Scenario {
        var s = hired(policies: policies)
        s.given(
            .enrollInAcademy(classNumber: "OC-25-1", academy: "Orange County Sheriff's Regional Academy", start: hire.adding(days: 7), source: nil))
        return s
    }

    static func graduated(policies: PolicyBook = .default) -> Scenario {
        var s = inAcademy(policies: policies)
        for test in s.policy.academy.requiredTests {
            s.given(
                .recordAcademyTest(test: test, passed: true, score: 88, instructor: "Vance", on: hire.adding(days: 100), source: nil), as: instructor)
        }
        s.given(.graduateAcademy(on: hire.adding(days: 190)))
        return s
    }

    static var fieldTrainingStart: Day { hire.adding(days: 200) }

    static func inFieldTraining(policies: PolicyBook = .default) -> Scenario {
        var s = graduated(policies: policies)
        s.given(.startFieldTraining(on: fieldTrainingStart))
        s.given(.assignFTO(fto: fto1.id, phase: 1, on: fieldTrainingStart))
        let orientation = max(1, s.policy.fieldTraining.orientationWeeks) * 7 - 3
        s.given(.recordOrientation(from: fieldTrainingStart, to: fieldTrainingStart.adding(days: orientation), topics: ["policies", "facilities"]))
        return s
    }

    /// In phase 1 with its phase evaluation recorded (recommending advancement).
    static func phaseOneEvaluated() -> Scenario {
        var s = inFieldTraining()
        s.given(.evaluatePhase(phase: 1, evaluator: fto3.id, report: advancing(), on: fieldTrainingStart.adding(days: 10)), as: fto3)
        return s
    }

    /// All phases evaluated and signed, checklist signed and acknowledged, enough acceptable
    /// DORs, courses current, attested: every solo gate of the scenario's policy passes.
    static func readyForSolo(policies: PolicyBook = .default) -> Scenario {
        var s = inFieldTraining(policies: policies)
        var day = fieldTrainingStart
        let rules = s.policy.fieldTraining
        let shifts = max(3, (rules.soloClearanceRecentDORs + rules.phases.count - 1) / max(1, rules.phases.count))
        for phase in rules.phases {
            let fto = phase.number % 2 == 0 ? fto2 : fto1
            if phase.number > 1 { s.given(.assignFTO(fto: fto.id, phase: phase.number, on: day)) }
            let step = max(1, (phase.minimumWeeks * 7 - 2) / shifts)
            for shift in 0..<shifts {
                s.given(
                    .fileDailyObservation(
                        fto: fto.id, shiftDate: day.adding(days: 1 + shift * step), ratings: s.acceptableRatings, narrative: "Solid shift."),
                    as: fto)
            }
            day = day.adding(days: phase.minimumWeeks * 7)
            s.given(.evaluatePhase(phase: phase.number, evaluator: fto3.id, report: advancing(policy: s.policy), on: day), as: fto3)
            s.given(.completePhase(phase: phase.number, on: day, earlyCompletionReason: nil))
        }
        for task in rules.requiredTasks {
            s.given(.signOffTask(task: task, fto: fto1.id, callReference: "CAD-\(task)", on: day), as: fto1)
            s.given(.acknowledgeTask(task: task, on: day), as: traineeActor)
        }
        for course in s.policy.courses {
            s.given(
                .recordCourse(
                    courseType: course.type, title: course.title, hours: max(4, course.minimumHours), provider: "PPD", instructor: "Lt. Gray",
                    completedOn: day, certificateReference: "C-\(course.type)"))
        }
        s.given(.attestCompetency(fto: fto1.id, statement: "Competent to patrol alone.", on: day), as: fto1)
        s.today = day.adding(days: 1)
        return s
    }

    /// The day the scenario's trainee is ready for release: field training's start plus the
    /// program's minimum length.
    var soloDay: Day { Scenario.fieldTrainingStart.adding(days: policy.fieldTraining.totalMinimumWeeks * 7) }

    static var soloDay: Day {
        fieldTrainingStart.adding(days: TrainingPolicy.pasadenaDefault.fieldTraining.totalMinimumWeeks * 7)
    }

    static func onProbation(policies: PolicyBook = .default) -> Scenario {
        var s = readyForSolo(policies: policies)
        s.given(.requestSoloRelease(on: s.soloDay, releaseStatement: "Released to L car."))
        s.given(.concurInSoloRelease(on: s.soloDay), as: chief)
        s.given(.startProbation(start: s.soloDay))
        return s
    }
}

/// One condition for a milestone and whether it holds on the day judged.
public struct Gate: Hashable, Sendable, Codable {
    public var name: String
    public var passed: Bool
    /// What holds, or what is missing.
    public var detail: String

    /// `name: detail`, as boards and refusals print a failing gate.
    public var summary: String { "\(name): \(detail)" }
}

/// A gate as a function of the day. The facts fix everything but the day, and the day can only
/// matter in one of two ways: a waiting period (the gate fails *until* a day) or a lapse (it
/// fails *from* a day on). Read models store the window and compare it with the current date,
/// so a board, a status and a refusal judged on the same day always agree.
public struct GateTimeline: Hashable, Sendable {
    public var name: String
    /// The gate fails on days in `failsFrom ..< failsUntil` (a missing bound is open); `nil`
    /// when it never fails.
    public var failing: FailingWindow?
    /// The detail while failing, and while passing.
    public var failingDetail: String
    public var passingDetail: String

    public struct FailingWindow: Hashable, Sendable {
        public var from: Day?
        public var until: Day?
        public static let always = FailingWindow(from: nil, until: nil)

        public func contains(_ day: Day) -> Bool {
            (from.map { day >= $0 } ?? true) && (until.map { day < $0 } ?? true)
        }
    }

    public func fails(on day: Day) -> Bool { failing?.contains(day) ?? false }

    public func gate(on day: Day) -> Gate {
        let fails = fails(on: day)
        return Gate(name: name, passed: !fails, detail: fails ? failingDetail : passingDetail)
    }

    /// `name: detail` while failing.
    public var failingSummary: String { "\(name): \(failingDetail)" }
}

/// An expected date that slips with time: `max(earliest, day + lead)`. A phase that has run
/// past its minimum ends no earlier than the day judged, and what follows it adds its length.
public struct ExpectedDate: Hashable, Sendable {
    public var earliest: Day
    public var leadDays: Int

    public func on(_ day: Day) -> Day { max(earliest, day.adding(days: leadDays)) }
}

/// Where a course requirement stands on a day.
public enum CourseCurrency: Hashable, Sendable {
    case current(until: Day)
    case expiring(until: Day, daysLeft: Int)
    case overdue(since: Day)
    case missing

    public var isAcceptable: Bool {
        switch self {
        case .current, .expiring: true
        case .overdue, .missing: false
        }
    }

    public var label: String {
        switch self {
        case .current: "current"
        case .expiring(_, let days): "expiring in \(days) days"
        case .overdue(let since): "overdue since \(since)"
        case .missing: "never completed"
        }
    }
}

public struct CourseStatus: Hashable, Sendable {
    public var type: CourseType
    public var title: String
    public var lastCompleted: Day?
    public var currency: CourseCurrency
}

/// A milestone's expected date, from policy lengths (for command staff's forecast).
public struct Milestone: Hashable, Sendable {
    public var name: String
    public var expected: Day
}

/// Solo readiness with the day left open: what the read models store.
public struct SoloOutlook: Hashable, Sendable {
    /// Every solo gate, in the order boards and refusals list them (empty before field training
    /// starts, when the one gate is "field training").
    public var gates: [GateTimeline]
    /// When solo patrol is expected, while it is still ahead (not cleared, not separated).
    public var expected: ExpectedDate?

    public func gates(on day: Day) -> [Gate] { gates.map { $0.gate(on: day) } }
}

public struct Readiness: Hashable, Sendable {
    public var soloPatrol: [Gate]
    public var probationCompletion: [Gate]
    public var coursework: [CourseStatus]
    public var milestones: [Milestone]

    public var readyForSoloPatrol: Bool { soloPatrol.allSatisfy(\.passed) }
    public var readyToCompleteProbation: Bool { probationCompletion.allSatisfy(\.passed) }
    public var failingSoloGates: [Gate] { soloPatrol.filter { !$0.passed } }
}

extension Readiness {
    /// Judges `file` on `day` under `policy` (the policy in force that day). Pure.
    public static func evaluate(_ file: PersonnelFile, policy: TrainingPolicy, on day: Day) -> Readiness {
        Readiness(
            soloPatrol: outlook(file, policy: policy).gates(on: day),
            probationCompletion: probationGates(file, policy: policy, on: day),
            coursework: policy.courses.map { courseStatus(file, $0, on: day) },
            milestones: milestones(file, policy: policy, on: day))
    }

    public static func courseStatus(_ file: PersonnelFile, _ course: CoursePolicy, on day: Day) -> CourseStatus {
        guard let last = file.coursework[course.type]?.last(where: { $0.completedOn <= day }) else {
            return CourseStatus(type: course.type, title: course.title, lastCompleted: nil, currency: .missing)
        }
        let until = last.completedOn.adding(months: course.validityMonths)
        let left = day.distance(to: until)
        let currency: CourseCurrency =
            left < 0 ? .overdue(since: until) : left <= course.warningDays ? .expiring(until: until, daysLeft: left) : .current(until: until)
        return CourseStatus(type: course.type, title: course.title, lastCompleted: last.completedOn, currency: currency)
    }

    /// The solo gates and expected date of `file`, for any day. Judged on the facts in the file:
    /// every DOR and course on file counts (none can be dated after the day it is recorded).
    public static func outlook(_ file: PersonnelFile, policy: TrainingPolicy) -> SoloOutlook {
        let rules = policy.fieldTraining
        let expected = expectedSolo(file, policy: policy)
        guard let training = file.fieldTraining else {
            let gate = GateTimeline(
                name: "field training", failing: .always, failingDetail: "field training has not started", passingDetail: "started")
            return SoloOutlook(gates: [gate], expected: expected)
        }
        func facts(_ name: String, _ holds: Bool, passing: String, failing: String) -> GateTimeline {
            GateTimeline(name: name, failing: holds ? nil : .always, failingDetail: failing, passingDetail: passing)
        }
        var gates: [GateTimeline] = []
        let completed = Set(training.phases.filter { $0.completedOn != nil }.map(\.number))
        let missingPhases = rules.phases.map(\.number).filter { !completed.contains($0) }
        gates.append(
            facts(
                "phases complete", missingPhases.isEmpty, passing: "all \(rules.phases.count) phases signed off",
                failing: "phase \(missingPhases.map(String.init).joined(separator: ", ")) not signed off"))
        let minimumEnd = training.startedOn.adding(days: rules.totalMinimumWeeks * 7)
        gates.append(
            GateTimeline(
                name: "minimum length", failing: .init(from: nil, until: minimumEnd),
                failingDetail: "program minimum reached on \(minimumEnd)", passingDetail: "\(rules.totalMinimumWeeks) weeks served"))
        if rules.orientationWeeks > 0 {
            gates.append(
                facts(
                    "orientation", training.orientation != nil,
                    passing: training.orientation.map { "\($0.from) to \($0.to)" } ?? "",
                    failing: "no agency orientation on record (\(rules.orientationWeeks) week(s) required)"))
        }
        let missingTasks = rules.requiredTasks.filter { training.tasks[$0] == nil }
        let unacknowledged =
            rules.traineeAcknowledgesTasks
            ? rules.requiredTasks.filter { task in
                guard let signed = training.tasks[task] else { return false }
                return !(training.taskAcknowledgements[task].map { $0 >= signed.on } ?? false)
            } : []
        gates.append(
            facts(
                "checklist", missingTasks.isEmpty && unacknowledged.isEmpty,
                passing: "all \(rules.requiredTasks.count) required tasks signed" + (rules.traineeAcknowledgesTasks ? " and acknowledged" : ""),
                failing: [
                    missingTasks.isEmpty ? nil : "not signed: \(missingTasks.joined(separator: ", "))",
                    unacknowledged.isEmpty ? nil : "not acknowledged by the trainee: \(unacknowledged.joined(separator: ", "))",
                ].compactMap { $0 }.joined(separator: "; ")))
        let open = training.openRemedial
        gates.append(
            facts(
                "remedial training", open.isEmpty, passing: "none open",
                failing: open.map { "\($0.category) open (assigned \($0.assignedOn), due \($0.due))" }.joined(separator: "; ")))
        let recent = Array(training.dorsInOrder.suffix(rules.soloClearanceRecentDORs))
        let weak = recent.flatMap { report in
            report.ratings.compactMap { category, rating -> String? in
                switch rating {
                case .score(let value) where value < rules.acceptableRating: "\(category) \(value) on \(report.shiftDate)"
                case .notRespondingToTraining: "\(category) NRT on \(report.shiftDate)"
                default: nil
                }
            }
        }.sorted()
        let enough = recent.count >= rules.soloClearanceRecentDORs
        gates.append(
            facts(
                "recent DORs", enough && weak.isEmpty, passing: "last \(recent.count) DORs acceptable in every category",
                failing: !enough
                    ? "\(recent.count) of the last \(rules.soloClearanceRecentDORs) DORs on file"
                    : "below acceptable: \(weak.joined(separator: ", "))"))
        for type in rules.requiredCoursesForSolo {
            guard let course = policy.course(type) else { continue }
            guard let last = file.coursework[type]?.last else {
                gates.append(facts("coursework", false, passing: "", failing: "\(type) never completed"))
                continue
            }
            let until = last.completedOn.adding(months: course.validityMonths)
            gates.append(
                GateTimeline(
                    name: "coursework", failing: .init(from: until.adding(days: 1), until: nil),
                    failingDetail: "\(type) overdue since \(until)", passingDetail: "\(type) current until \(until)"))
        }
        gates.append(
            facts(
                "FTO attestation", training.attestation != nil,
                passing: training.attestation.map { "attested by \($0.fto) on \($0.on)" } ?? "",
                failing: "no FTO attestation of competence"))
        return SoloOutlook(gates: gates, expected: expected)
    }

    static func probationGates(_ file: PersonnelFile, policy: TrainingPolicy, on day: Day) -> [Gate] {
        guard let probation = file.probation else {
            return [Gate(name: "probation", passed: false, detail: "probation has not started")]
        }
        let due = reviewsDue(probation, policy: policy, through: probation.end)
        let missing = due.filter { interval in !probation.reviews.contains { $0.interval == interval } }
        return [
            Gate(
                name: "end date", passed: probation.end <= day,
                detail: probation.end <= day ? "ended \(probation.end)" : "ends \(probation.end) (\(day.distance(to: probation.end)) days)"),
            Gate(
                name: "reviews", passed: missing.isEmpty,
                detail: missing.isEmpty
                    ? "\(due.count) reviews recorded"
                    : "missing the \(missing.map { "\($0)-month" }.joined(separator: ", ")) review"),
        ]
    }

    /// Review intervals (months into probation) due on or before `day`.
    public static func reviewsDue(_ probation: ProbationRecord, policy: TrainingPolicy, through day: Day) -> [Int] {
        let step = max(1, policy.probation.reviewIntervalMonths)
        return stride(from: step, through: policy.probation.months, by: step).filter { probation.start.adding(months: $0) <= day }
    }

    /// Expected release to solo patrol from policy lengths: the academy (if still in it), then
    /// each phase not yet signed off at its minimum length plus extensions, starting no earlier
    /// than the day judged.
    static func expectedSolo(_ file: PersonnelFile, policy: TrainingPolicy) -> ExpectedDate? {
        phaseEnds(file, policy: policy).last?.end
    }

    /// Expected end of each remaining phase (or of the academy), as dates that slip with time.
    /// Everyone on the way to solo patrol has one: a hire not yet enrolled (the academy and the
    /// program from the later of the hire date and the day judged), a recruit in the academy, a
    /// graduate waiting for field training (the program from the later of graduation and the
    /// day), and a trainee in field training (each phase not yet signed off).
    static func phaseEnds(_ file: PersonnelFile, policy: TrainingPolicy) -> [(name: String, end: ExpectedDate)] {
        let fieldTraining = policy.fieldTraining
        guard file.separation == nil, let profile = file.profile else { return [] }
        let academyDays = policy.academy.lengthWeeks * 7
        let programDays = fieldTraining.totalMinimumWeeks * 7
        func solo(after graduation: ExpectedDate) -> (name: String, end: ExpectedDate) {
            ("solo patrol", ExpectedDate(earliest: graduation.earliest.adding(days: programDays), leadDays: graduation.leadDays + programDays))
        }
        guard let academy = file.academy else {
            let graduation = ExpectedDate(earliest: profile.hireDate.adding(days: academyDays), leadDays: academyDays)
            return [("academy graduation", graduation), solo(after: graduation)]
        }
        guard let graduated = academy.graduatedOn else {
            let graduation = ExpectedDate(earliest: academy.start.adding(days: academyDays), leadDays: 0)
            return [("academy graduation", graduation), solo(after: graduation)]
        }
        guard let training = file.fieldTraining else { return [solo(after: ExpectedDate(earliest: graduated, leadDays: 0))] }
        guard training.soloClearance == nil else { return [] }
        var ends: [(name: String, end: ExpectedDate)] = []
        // The cursor is `max(earliest, day + lead)`: a phase not yet done ends no earlier than
        // the day judged, and every later phase adds its own length.
        var cursor = ExpectedDate(earliest: training.startedOn, leadDays: 0)
        var started = false
        for phase in fieldTraining.phases {
            let record = training.phase(phase.number)
            if let completed = record?.completedOn {
                cursor = ExpectedDate(earliest: completed, leadDays: 0)
                continue
            }
            let length = (phase.minimumWeeks + (record?.extensionWeeks ?? 0)) * 7
            let start = record?.startedOn ?? cursor.earliest
            cursor =
                started
                ? ExpectedDate(earliest: cursor.earliest.adding(days: length), leadDays: cursor.leadDays + length)
                : ExpectedDate(earliest: start.adding(days: length), leadDays: 0)
            started = true
            ends.append(("end of phase \(phase.number)", cursor))
        }
        ends.append(("solo patrol", cursor))
        return ends
    }

    static func milestones(_ file: PersonnelFile, policy: TrainingPolicy, on day: Day) -> [Milestone] {
        var milestones = phaseEnds(file, policy: policy).map { Milestone(name: $0.name, expected: $0.end.on(day)) }
        if let solo = milestones.last(where: { $0.name == "solo patrol" }), policy.probation.startsAt == .soloClearance, file.probation == nil {
            milestones.append(Milestone(name: "probation end", expected: solo.expected.adding(months: policy.probation.months)))
        }
        if let probation = file.probation, probation.completedOn == nil {
            milestones.append(Milestone(name: "probation end", expected: probation.end))
        }
        return milestones
    }
}

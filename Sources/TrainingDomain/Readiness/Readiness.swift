/// One condition for a milestone and whether it holds.
public struct Gate: Hashable, Sendable, Codable {
    public var name: String
    public var passed: Bool
    /// What holds, or what is missing.
    public var detail: String
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
        let coursework = policy.courses.map { courseStatus(file, $0, on: day) }
        return Readiness(
            soloPatrol: soloGates(file, policy: policy, coursework: coursework, on: day),
            probationCompletion: probationGates(file, policy: policy, on: day),
            coursework: coursework,
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

    static func soloGates(_ file: PersonnelFile, policy: TrainingPolicy, coursework: [CourseStatus], on day: Day) -> [Gate] {
        let rules = policy.fieldTraining
        guard let training = file.fieldTraining else {
            return [Gate(name: "field training", passed: false, detail: "field training has not started")]
        }
        var gates: [Gate] = []
        let completed = training.phases.filter { $0.completedOn != nil }.map(\.number)
        let missingPhases = rules.phases.map(\.number).filter { !completed.contains($0) }
        gates.append(
            Gate(
                name: "phases complete", passed: missingPhases.isEmpty,
                detail: missingPhases.isEmpty ? "all \(rules.phases.count) phases signed off"
                    : "phase \(missingPhases.map(String.init).joined(separator: ", ")) not signed off"))
        let minimumEnd = training.startedOn.adding(days: rules.totalMinimumWeeks * 7)
        gates.append(
            Gate(
                name: "minimum length", passed: minimumEnd <= day,
                detail: minimumEnd <= day ? "\(rules.totalMinimumWeeks) weeks served" : "program minimum reached on \(minimumEnd)"))
        let missingTasks = rules.requiredTasks.filter { training.tasks[$0] == nil }
        gates.append(
            Gate(
                name: "checklist", passed: missingTasks.isEmpty,
                detail: missingTasks.isEmpty ? "all \(rules.requiredTasks.count) required tasks signed"
                    : "not signed: \(missingTasks.joined(separator: ", "))"))
        let open = training.openRemedial
        gates.append(
            Gate(
                name: "remedial training", passed: open.isEmpty,
                detail: open.isEmpty ? "none open"
                    : open.map { "\($0.category) open (assigned \($0.assignedOn), due \($0.due))" }.joined(separator: "; ")))
        let recent = Array(training.dorsInOrder.filter { $0.shiftDate <= day }.suffix(rules.soloClearanceRecentDORs))
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
            Gate(
                name: "recent DORs", passed: enough && weak.isEmpty,
                detail: !enough ? "\(recent.count) of the last \(rules.soloClearanceRecentDORs) DORs on file"
                    : weak.isEmpty ? "last \(recent.count) DORs acceptable in every category" : "below acceptable: \(weak.joined(separator: ", "))"))
        let required = coursework.filter { rules.requiredCoursesForSolo.contains($0.type) }
        let lapsed = required.filter { !$0.currency.isAcceptable }
        gates.append(
            Gate(
                name: "coursework", passed: lapsed.isEmpty,
                detail: lapsed.isEmpty ? "required courses current" : lapsed.map { "\($0.type) \($0.currency.label)" }.joined(separator: "; ")))
        gates.append(
            Gate(
                name: "FTO attestation", passed: training.attestation != nil,
                detail: training.attestation.map { "attested by \($0.fto) on \($0.on)" } ?? "no FTO attestation of competence"))
        return gates
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
                detail: missing.isEmpty ? "\(due.count) reviews recorded"
                    : "missing the \(missing.map { "\($0)-month" }.joined(separator: ", ")) review"),
        ]
    }

    /// Review intervals (months into probation) due on or before `day`.
    public static func reviewsDue(_ probation: ProbationRecord, policy: TrainingPolicy, through day: Day) -> [Int] {
        let step = max(1, policy.probation.reviewIntervalMonths)
        return stride(from: step, through: policy.probation.months, by: step).filter { probation.start.adding(months: $0) <= day }
    }

    static func milestones(_ file: PersonnelFile, policy: TrainingPolicy, on day: Day) -> [Milestone] {
        var milestones: [Milestone] = []
        var soloExpected: Day?
        if let academy = file.academy, academy.graduatedOn == nil {
            let graduation = max(academy.start.adding(days: policy.academy.lengthWeeks * 7), day)
            milestones.append(Milestone(name: "academy graduation", expected: graduation))
            soloExpected = graduation.adding(days: policy.fieldTraining.totalMinimumWeeks * 7)
        }
        if let training = file.fieldTraining, training.soloClearance == nil {
            var cursor = training.startedOn
            for phase in policy.fieldTraining.phases {
                let record = training.phase(phase.number)
                if let completed = record?.completedOn {
                    cursor = completed
                    continue
                }
                let start = record?.startedOn ?? cursor
                let end = max(start.adding(days: (phase.minimumWeeks + (record?.extensionWeeks ?? 0)) * 7), day)
                milestones.append(Milestone(name: "end of phase \(phase.number)", expected: end))
                cursor = end
            }
            soloExpected = max(cursor, day)
        }
        if let soloExpected {
            milestones.append(Milestone(name: "solo patrol", expected: soloExpected))
            if policy.probation.startsAt == .soloClearance, file.probation == nil {
                milestones.append(Milestone(name: "probation end", expected: soloExpected.adding(months: policy.probation.months)))
            }
        }
        if let probation = file.probation, probation.completedOn == nil {
            milestones.append(Milestone(name: "probation end", expected: probation.end))
        }
        return milestones
    }
}

/// What command staff do to the agency's training policy.
public enum PolicyCommand: Hashable, Sendable {
    /// Adopt `policy` from `effective` on (it may be a later day: policy is announced ahead).
    case adopt(TrainingPolicy, effective: Day)
}

/// Decides policy adoptions: the chief, a designee or command staff adopt a policy that makes
/// sense as a whole (see ``TrainingPolicy/problems``).
public enum PolicyDecider: Decider {
    public static var initial: PolicyBook { PolicyBook() }

    static let adopters: Set<Role> = [.chief, .chiefDesignee, .commandStaff]

    public static func decide(_ command: PolicyCommand, _ book: PolicyBook, _ context: CommandContext) throws(DomainError) -> [Entry] {
        switch command {
        case .adopt(let policy, let effective):
            let actor = context.actor
            guard adopters.contains(actor.role) else {
                throw DomainError(
                    .notAuthorized, "\(actor.id) acting as \(actor.role) may not adopt training policy; that takes command staff or the chief")
            }
            if let problem = policy.problems.first { throw DomainError(.invalidPolicy, "policy \"\(policy.name)\": \(problem)") }
            let event = TrainingEvent.trainingPolicyAdopted(TrainingPolicyAdopted(policy: policy, effective: effective))
            return try Recorder(context: context).entries([(event, effective)])
        }
    }

    public static func evolve(_ book: inout PolicyBook, _ entry: Entry) {
        if case .trainingPolicyAdopted(let adopted) = entry.event { book.adopt(adopted.policy, effective: adopted.effective) }
    }
}

extension TrainingPolicy {
    /// What makes this policy unusable, in words (empty when it is sound).
    public var problems: [String] {
        var problems: [String] = []
        let training = fieldTraining
        if name.allSatisfy(\.isWhitespace) { problems.append("it needs a name") }
        if training.phases.isEmpty { problems.append("field training needs at least one phase") }
        if training.phases.map(\.number) != Array(1...max(1, training.phases.count)) && !training.phases.isEmpty {
            problems.append("phases must be numbered 1, 2, 3 … in order")
        }
        if training.phases.contains(where: { !(1...52).contains($0.minimumWeeks) }) { problems.append("each phase lasts 1 to 52 weeks") }
        if training.categories.isEmpty { problems.append("DORs need at least one evaluation category") }
        if Set(training.categories).count != training.categories.count { problems.append("evaluation categories are listed twice") }
        if !(1...7).contains(training.acceptableRating) { problems.append("the acceptable rating must be 1–7") }
        if training.narrativeRequiredBelow > training.narrativeRequiredAbove + 1 {
            problems.append("the narrative thresholds overlap (below \(training.narrativeRequiredBelow), above \(training.narrativeRequiredAbove))")
        }
        if training.soloClearanceRecentDORs < 0 || training.maximumExtensionsPerPhase < 0 { problems.append("counts must not be negative") }
        if !(1...600).contains(academy.lengthWeeks) && academy.lengthWeeks != 0 { problems.append("the academy lasts up to 600 weeks") }
        if academy.retestsAllowed < 0 { problems.append("retests allowed must not be negative") }
        if !(1...120).contains(probation.months) { problems.append("probation lasts 1 to 120 months") }
        if !(1...probation.months).contains(probation.reviewIntervalMonths) {
            problems.append("probation reviews come every 1 to \(probation.months) months")
        }
        for course in courses where course.validityMonths < 1 || course.warningDays < 0 || !course.minimumHours.isFinite || course.minimumHours < 0 {
            problems.append("course \(course.type.rawValue) needs a validity of at least a month, a warning window and minimum hours of 0 or more")
        }
        for type in training.requiredCoursesForSolo where course(type) == nil {
            problems.append("solo clearance requires \(type.rawValue), which is not a course type of the policy")
        }
        if ftoUpdateEveryMonths < 1 { problems.append("the FTO update interval must be at least a month") }
        return problems
    }
}

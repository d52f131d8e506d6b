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
        let scale = training.ratingScale
        if scale.lowest < 0 || scale.highest <= scale.lowest || scale.highest > 10 {
            problems.append("the rating scale runs from 0 or more up to at most 10, lowest below highest")
        }
        if !scale.contains(training.acceptableRating) { problems.append("the acceptable rating must be on the scale (\(scale.rangeText))") }
        if training.totalMinimumWeeks < training.program.minimumWeeks {
            problems.append(
                "a \(training.program) lasts at least \(training.program.minimumWeeks) weeks (POST Regulation 1004); the phases add up to \(training.totalMinimumWeeks)"
            )
        }
        if training.orientationWeeks < 1 { problems.append("agency orientation lasts at least one week (POST)") }
        for category in training.guidelines.keys.sorted() where !training.categories.contains(category) {
            problems.append("the guideline for \(category.rawValue) names no evaluation category of the policy")
        }
        for (category, guideline) in training.guidelines.sorted(by: { $0.key < $1.key })
        where guideline.anchors.keys.contains(where: { !scale.contains($0) }) {
            problems.append("the guideline for \(category.rawValue) anchors a rating off the scale")
        }
        let taskIDs = training.tasks.map(\.id)
        if Set(taskIDs).count != taskIDs.count { problems.append("checklist tasks are listed twice") }
        if taskIDs.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            problems.append("checklist task ids are single words (letters, digits, underscores)")
        }
        if plausibility.allowsOverride(.duplicateBadge) {
            problems.append("badge numbers identify officers: a duplicate badge cannot be overridable")
        }
        if let maximum = probation.maximumMonths, maximum < probation.months {
            problems.append("the longest probation (\(maximum) months) is shorter than probation itself (\(probation.months))")
        }
        if !(1...100).contains(forecast.yieldFloorPercent) || forecast.minimumOutcomes < 0 {
            problems.append("the forecast's yield floor is 1–100 percent and its minimum history not negative")
        }
        if ftoEligibility.minimumPatrolMonths < 0 { problems.append("the FTO's patrol experience must not be negative") }
        if let score = academy.passingScore, !(0...100).contains(score) { problems.append("the academy's passing score is 0–100") }
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

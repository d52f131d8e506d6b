/// Input that is possible but unlikely to be true: refused with the check named, or, where the
/// agency's policy allows it, accepted with an override reason recorded beside the entry.
public enum PlausibilityCheck: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// A hire date before the agency existed.
    case hireBeforeAgency = "hire_before_agency"
    /// An academy class starting further ahead than policy expects.
    case academyFarAhead = "academy_far_ahead"
    /// A probation extended past the longest probation policy allows.
    case probationBeyondMaximum = "probation_beyond_maximum"
    /// A second probation review for the same interval.
    case duplicateReview = "duplicate_review"
    /// A result for a test the academy does not give.
    case unknownAcademyTest = "unknown_academy_test"
    /// A passing result with a score below the passing score.
    case passWithFailingScore = "pass_with_failing_score"
    /// A badge number another person of the agency already holds.
    case duplicateBadge = "duplicate_badge"
    /// A checklist task signed off a second time.
    case taskSignedTwice = "task_signed_twice"
    /// A DOR that leaves categories neither rated nor marked N/O.
    case categoriesUnrated = "categories_unrated"

    public var description: String { rawValue }
}

public struct PlausibilityPolicy: Hashable, Sendable, Codable {
    /// The day the agency was founded: no hire before it (`nil`: not checked).
    public var agencyFoundedOn: Day?
    /// An academy class may start at most this many months ahead (`nil`: not checked).
    public var academyStartMaximumMonthsAhead: Int?
    /// Checks that an authorised user may override by giving a reason.
    public var overridable: [PlausibilityCheck]

    public init(agencyFoundedOn: Day? = nil, academyStartMaximumMonthsAhead: Int? = 12, overridable: [PlausibilityCheck] = []) {
        self.agencyFoundedOn = agencyFoundedOn
        self.academyStartMaximumMonthsAhead = academyStartMaximumMonthsAhead
        self.overridable = overridable
    }

    public func allowsOverride(_ check: PlausibilityCheck) -> Bool { overridable.contains(check) }

    enum CodingKeys: String, CodingKey { case agencyFoundedOn, academyStartMaximumMonthsAhead, overridable }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        agencyFoundedOn = try c.decodeIfPresent(Day.self, forKey: .agencyFoundedOn)
        academyStartMaximumMonthsAhead = try c.decodeIfPresent(Int.self, forKey: .academyStartMaximumMonthsAhead)
        overridable = try c.decode([PlausibilityCheck].self, forKey: .overridable, absent: [])
    }
}

/// An agency's training rules as data. Adopting a new policy is itself an event, and every
/// judgement uses the policy in force on the day in question (see ``PolicyBook``).
public struct TrainingPolicy: Hashable, Sendable, Codable {
    public var name: String
    public var academy: AcademyPolicy
    public var fieldTraining: FieldTrainingPolicy
    public var probation: ProbationPolicy
    public var courses: [CoursePolicy]
    public var ftoUpdateEveryMonths: Int

    public init(
        name: String, academy: AcademyPolicy, fieldTraining: FieldTrainingPolicy, probation: ProbationPolicy,
        courses: [CoursePolicy], ftoUpdateEveryMonths: Int
    ) {
        self.name = name
        self.academy = academy
        self.fieldTraining = fieldTraining
        self.probation = probation
        self.courses = courses
        self.ftoUpdateEveryMonths = ftoUpdateEveryMonths
    }

    public func course(_ type: CourseType) -> CoursePolicy? { courses.first { $0.type == type } }
}

/// An academy test: a POST learning domain and the test within it.
public struct AcademyTestKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var domain: String
    public var test: String
    public init(domain: String, test: String) {
        self.domain = domain
        self.test = test
    }
    public var description: String { "\(domain) \(test)" }
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.domain, lhs.test) < (rhs.domain, rhs.test) }
}

public struct AcademyPolicy: Hashable, Sendable, Codable {
    public var lengthWeeks: Int
    /// Retakes allowed after a failed test (typically one).
    public var retestsAllowed: Int
    /// Every one must be passed to graduate.
    public var requiredTests: [AcademyTestKey]
}

public struct PhasePolicy: Hashable, Sendable, Codable {
    public var number: Int
    public var name: String
    public var minimumWeeks: Int
}

public struct FieldTrainingPolicy: Hashable, Sendable, Codable {
    public var phases: [PhasePolicy]
    public var maximumExtensionsPerPhase: Int
    /// Standardized evaluation guideline categories rated on each DOR.
    public var categories: [Category]
    /// Ratings below this need a narrative (4 = acceptable).
    public var narrativeRequiredBelow: Int
    /// Ratings above this need a narrative.
    public var narrativeRequiredAbove: Int
    /// Solo clearance needs this many most recent DORs all acceptable in every category.
    public var soloClearanceRecentDORs: Int
    /// The lowest acceptable rating (4 on the 1–7 scale: acceptable to work alone).
    public var acceptableRating: Int
    /// Checklist items an FTO must sign off before solo clearance.
    public var requiredTasks: [String]
    /// Coursework that must be current at solo clearance.
    public var requiredCoursesForSolo: [CourseType]

    public func phase(_ number: Int) -> PhasePolicy? { phases.first { $0.number == number } }
    public var totalMinimumWeeks: Int { phases.reduce(0) { $0 + $1.minimumWeeks } }
}

public struct ProbationPolicy: Hashable, Sendable, Codable {
    public enum Start: String, Hashable, Sendable, Codable {
        /// Counted from appointment (overlaps academy and field training).
        case hire
        /// Counted from release to solo patrol.
        case soloClearance = "solo_clearance"
    }
    public var months: Int
    public var reviewIntervalMonths: Int
    public var startsAt: Start
    /// Warn this many days before the end date (an extension must be recorded before it).
    public var warningDays: Int
}

public struct CoursePolicy: Hashable, Sendable, Codable {
    public var type: CourseType
    public var title: String
    public var validityMonths: Int
    /// "Expiring" this many days before the course lapses.
    public var warningDays: Int
    /// A completion must name the instructor who reviewed it (PC 13519.4 for bias training).
    public var requiresInstructor: Bool
    public var minimumHours: Double
}

extension TrainingPolicy {
    /// Shaped like Pasadena PD's program: a 26-week outside academy, four field training phases
    /// (about five months), one-year probation after solo release, yearly use-of-force and
    /// two-yearly implicit-bias refreshers with a 90-day warning.
    public static let pasadenaDefault = TrainingPolicy(
        name: "Pasadena PD field training program (default)",
        academy: AcademyPolicy(
            lengthWeeks: 26, retestsAllowed: 1,
            requiredTests: [
                AcademyTestKey(domain: "LD 1", test: "written"), AcademyTestKey(domain: "LD 3", test: "written"),
                AcademyTestKey(domain: "LD 20", test: "written"), AcademyTestKey(domain: "LD 20", test: "scenario"),
                AcademyTestKey(domain: "LD 33", test: "skills"), AcademyTestKey(domain: "LD 35", test: "qualification"),
                AcademyTestKey(domain: "LD 42", test: "written"),
            ]),
        fieldTraining: FieldTrainingPolicy(
            phases: [
                PhasePolicy(number: 1, name: "Phase 1 (FTO #1)", minimumWeeks: 6),
                PhasePolicy(number: 2, name: "Phase 2 (FTO #2)", minimumWeeks: 6),
                PhasePolicy(number: 3, name: "Phase 3 (FTO #3)", minimumWeeks: 6),
                PhasePolicy(number: 4, name: "Phase 4 (final evaluation, FTO #1)", minimumWeeks: 4),
            ],
            maximumExtensionsPerPhase: 2,
            categories: [
                "driving_normal", "driving_stress", "orientation_response_time", "report_writing", "field_performance_non_stress",
                "field_performance_stress", "investigative_procedures", "officer_safety", "control_of_conflict_voice",
                "control_of_conflict_physical", "problem_solving_decision_making", "radio_use", "self_initiated_activity",
                "knowledge_of_law_and_policy", "relationships_public", "relationships_colleagues", "acceptance_of_feedback",
                "attitude", "appearance",
            ],
            narrativeRequiredBelow: 4, narrativeRequiredAbove: 5, soloClearanceRecentDORs: 10, acceptableRating: 4,
            requiredTasks: [
                "traffic_collision", "domestic_violence_call", "felony_vehicle_stop", "evidence_booking", "dui_arrest",
                "death_investigation", "mental_health_call",
            ],
            requiredCoursesForSolo: ["use_of_force", "implicit_bias"]),
        probation: ProbationPolicy(months: 12, reviewIntervalMonths: 3, startsAt: .soloClearance, warningDays: 60),
        courses: [
            CoursePolicy(
                type: "use_of_force", title: "Use of force and de-escalation refresher", validityMonths: 12, warningDays: 90,
                requiresInstructor: false, minimumHours: 4),
            CoursePolicy(
                type: "implicit_bias", title: "Racial and identity profiling / implicit bias refresher", validityMonths: 24,
                warningDays: 90, requiresInstructor: true, minimumHours: 2),
        ],
        ftoUpdateEveryMonths: 36)
}

/// Every policy an agency adopted, each from its effective date.
public struct PolicyBook: Hashable, Sendable {
    /// One adoption: the policy in force from `effective` on.
    public struct Adoption: Hashable, Sendable {
        public var effective: Day
        public var policy: TrainingPolicy
    }

    public private(set) var adopted: [Adoption] = []

    public init(_ adopted: [(effective: Day, policy: TrainingPolicy)] = []) {
        for entry in adopted { adopt(entry.policy, effective: entry.effective) }
    }

    /// No adoption yet: the built-in default is in force on every day.
    public static let `default` = PolicyBook()

    /// Adds a policy; a later adoption with the same effective date takes precedence.
    public mutating func adopt(_ policy: TrainingPolicy, effective: Day) {
        let index = adopted.firstIndex { $0.effective > effective } ?? adopted.endIndex
        adopted.insert(Adoption(effective: effective, policy: policy), at: index)
    }

    /// Which adoption is in force on `day`, as a short stable name (`default`, or the
    /// effective day and the adoption's place in the book): what a read model computed under.
    public func identity(on day: Day) -> String {
        guard let index = adopted.lastIndex(where: { $0.effective <= day }) else { return "default" }
        return "\(adopted[index].effective)#\(index + 1)"
    }

    /// The policy in force on `day`: the latest adopted on or before it; before the first
    /// adoption, the built-in default (what the agency worked under until then).
    public func policy(on day: Day) -> TrainingPolicy {
        adopted.last { $0.effective <= day }?.policy ?? .pasadenaDefault
    }
}

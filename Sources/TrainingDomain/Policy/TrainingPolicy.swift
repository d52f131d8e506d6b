/// An agency's training rules as data. Adopting a new policy is itself an event, and every
/// judgement uses the policy in force on the day in question (see ``PolicyBook``).
///
/// Fields added after the first policies were adopted decode, when absent, to the value that
/// judges as those policies did (see `PolicyDecoding.swift`); the built-in default
/// (``pasadenaDefault``) turns every POST requirement on.
public struct TrainingPolicy: Hashable, Sendable, Codable {
    public var name: String
    public var academy: AcademyPolicy
    public var fieldTraining: FieldTrainingPolicy
    public var probation: ProbationPolicy
    public var courses: [CoursePolicy]
    public var ftoUpdateEveryMonths: Int
    public var ftoEligibility: FTOEligibilityPolicy
    public var plausibility: PlausibilityPolicy
    public var forecast: ForecastPolicy

    public init(
        name: String, academy: AcademyPolicy, fieldTraining: FieldTrainingPolicy, probation: ProbationPolicy,
        courses: [CoursePolicy], ftoUpdateEveryMonths: Int, ftoEligibility: FTOEligibilityPolicy = .post,
        plausibility: PlausibilityPolicy = PlausibilityPolicy(), forecast: ForecastPolicy = ForecastPolicy()
    ) {
        self.name = name
        self.academy = academy
        self.fieldTraining = fieldTraining
        self.probation = probation
        self.courses = courses
        self.ftoUpdateEveryMonths = ftoUpdateEveryMonths
        self.ftoEligibility = ftoEligibility
        self.plausibility = plausibility
        self.forecast = forecast
    }

    public func course(_ type: CourseType) -> CoursePolicy? { courses.first { $0.type == type } }

    enum CodingKeys: String, CodingKey {
        case name, academy, fieldTraining, probation, courses, ftoUpdateEveryMonths, ftoEligibility, plausibility, forecast
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        academy = try c.decode(AcademyPolicy.self, forKey: .academy)
        fieldTraining = try c.decode(FieldTrainingPolicy.self, forKey: .fieldTraining)
        probation = try c.decode(ProbationPolicy.self, forKey: .probation)
        courses = try c.decode([CoursePolicy].self, forKey: .courses)
        ftoUpdateEveryMonths = try c.decode(Int.self, forKey: .ftoUpdateEveryMonths)
        ftoEligibility = try c.decode(FTOEligibilityPolicy.self, forKey: .ftoEligibility, absent: .courseOnly)
        plausibility = try c.decode(PlausibilityPolicy.self, forKey: .plausibility, absent: PlausibilityPolicy(agencyFoundedOn: nil))
        forecast = try c.decode(ForecastPolicy.self, forKey: .forecast, absent: ForecastPolicy())
    }
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
    /// Tests the academy gives that graduation does not require.
    public var optionalTests: [AcademyTestKey]
    /// A scored test passes at this score or above (0–100); a "pass" below it is implausible.
    public var passingScore: Double?

    public init(
        lengthWeeks: Int, retestsAllowed: Int, requiredTests: [AcademyTestKey], optionalTests: [AcademyTestKey] = [], passingScore: Double? = nil
    ) {
        self.lengthWeeks = lengthWeeks
        self.retestsAllowed = retestsAllowed
        self.requiredTests = requiredTests
        self.optionalTests = optionalTests
        self.passingScore = passingScore
    }

    /// Whether the academy gives `test` at all.
    public func knows(_ test: AcademyTestKey) -> Bool { requiredTests.contains(test) || optionalTests.contains(test) }

    enum CodingKeys: String, CodingKey { case lengthWeeks, retestsAllowed, requiredTests, optionalTests, passingScore }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lengthWeeks = try c.decode(Int.self, forKey: .lengthWeeks)
        retestsAllowed = try c.decode(Int.self, forKey: .retestsAllowed)
        requiredTests = try c.decode([AcademyTestKey].self, forKey: .requiredTests)
        optionalTests = try c.decode([AcademyTestKey].self, forKey: .optionalTests, absent: [])
        passingScore = try c.decodeIfPresent(Double.self, forKey: .passingScore)
    }
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
    /// The longest probation may run, extensions included (`nil`: no limit).
    public var maximumMonths: Int?

    public init(months: Int, reviewIntervalMonths: Int, startsAt: Start, warningDays: Int, maximumMonths: Int? = nil) {
        self.months = months
        self.reviewIntervalMonths = reviewIntervalMonths
        self.startsAt = startsAt
        self.warningDays = warningDays
        self.maximumMonths = maximumMonths
    }
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
    /// Recruits in the academy must hold it too (otherwise it is due from graduation).
    public var requiredDuringAcademy: Bool

    public init(
        type: CourseType, title: String, validityMonths: Int, warningDays: Int, requiresInstructor: Bool, minimumHours: Double,
        requiredDuringAcademy: Bool = false
    ) {
        self.type = type
        self.title = title
        self.validityMonths = validityMonths
        self.warningDays = warningDays
        self.requiresInstructor = requiresInstructor
        self.minimumHours = minimumHours
        self.requiredDuringAcademy = requiredDuringAcademy
    }

    enum CodingKeys: String, CodingKey { case type, title, validityMonths, warningDays, requiresInstructor, minimumHours, requiredDuringAcademy }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(CourseType.self, forKey: .type)
        title = try c.decode(String.self, forKey: .title)
        validityMonths = try c.decode(Int.self, forKey: .validityMonths)
        warningDays = try c.decode(Int.self, forKey: .warningDays)
        requiresInstructor = try c.decode(Bool.self, forKey: .requiresInstructor)
        minimumHours = try c.decode(Double.self, forKey: .minimumHours)
        requiredDuringAcademy = try c.decode(Bool.self, forKey: .requiredDuringAcademy, absent: false)
    }
}

/// Who may serve as an FTO on the day of an act (POST Regulation 1004), besides the 40-hour
/// course and the update every ``TrainingPolicy/ftoUpdateEveryMonths``.
public struct FTOEligibilityPolicy: Hashable, Sendable, Codable {
    /// Holds a POST Basic Certificate.
    public var requiresBasicCertificate: Bool
    /// Months of general uniformed patrol experience.
    public var minimumPatrolMonths: Int

    public init(requiresBasicCertificate: Bool, minimumPatrolMonths: Int) {
        self.requiresBasicCertificate = requiresBasicCertificate
        self.minimumPatrolMonths = minimumPatrolMonths
    }

    /// What Regulation 1004 asks: a Basic Certificate and a year of patrol.
    public static let post = FTOEligibilityPolicy(requiresBasicCertificate: true, minimumPatrolMonths: 12)
    /// Only the course and its updates (policies adopted before eligibility was modelled).
    public static let courseOnly = FTOEligibilityPolicy(requiresBasicCertificate: false, minimumPatrolMonths: 0)
}

/// How command staff's forecast turns recruits into officers.
public struct ForecastPolicy: Hashable, Sendable, Codable {
    /// Below this many finished recruits (released or separated), history is thin.
    public var minimumOutcomes: Int
    /// While history is thin, the yield is taken as at least this share (percent).
    public var yieldFloorPercent: Int

    public init(minimumOutcomes: Int = 10, yieldFloorPercent: Int = 50) {
        self.minimumOutcomes = minimumOutcomes
        self.yieldFloorPercent = yieldFloorPercent
    }
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

// Hiring, academy and separation.

public struct RecruitHired: TrainingEventPayload {
    public static let type = "hiring.recruit-hired.v1"
    public var trainee: TraineeID
    public var name: String
    public var badge: String
    public var hireDate: Day
    public var agency: AgencyID
    public init(trainee: TraineeID, name: String, badge: String, hireDate: Day, agency: AgencyID) {
        self.trainee = trainee
        self.name = name
        self.badge = badge
        self.hireDate = hireDate
        self.agency = agency
    }
}

public struct AcademyEnrolled: TrainingEventPayload {
    public static let type = "academy.enrolled.v1"
    public var classNumber: String
    public var academy: String
    public var start: Day
    /// Where the record came from when another presenter ran the academy (e.g. an import).
    public var source: String?
    public init(classNumber: String, academy: String, start: Day, source: String? = nil) {
        self.classNumber = classNumber
        self.academy = academy
        self.start = start
        self.source = source
    }
}

public struct AcademyTestRecorded: TrainingEventPayload {
    public static let type = "academy.test-recorded.v1"
    public var test: AcademyTestKey
    public var attempt: Int
    public var passed: Bool
    public var score: Double?
    public var instructor: String
    public var source: String?
    public init(test: AcademyTestKey, attempt: Int, passed: Bool, score: Double? = nil, instructor: String, source: String? = nil) {
        self.test = test
        self.attempt = attempt
        self.passed = passed
        self.score = score
        self.instructor = instructor
        self.source = source
    }
}

public struct AcademyGraduated: TrainingEventPayload {
    public static let type = "academy.graduated.v1"
    public var date: Day
    public init(date: Day) { self.date = date }
}

public struct AcademyRecycled: TrainingEventPayload {
    public static let type = "academy.recycled.v1"
    public var toClass: String
    public var reason: String
    public init(toClass: String, reason: String) {
        self.toClass = toClass
        self.reason = reason
    }
}

public struct Separated: TrainingEventPayload {
    public static let type = "personnel.separated.v1"
    public var kind: SeparationKind
    public var reason: String
    public var date: Day
    public init(kind: SeparationKind, reason: String, date: Day) {
        self.kind = kind
        self.reason = reason
        self.date = date
    }
}

public struct TrainingPolicyAdopted: TrainingEventPayload {
    public static let type = "policy.training-policy-adopted.v1"
    public var policy: TrainingPolicy
    public var effective: Day
    public init(policy: TrainingPolicy, effective: Day) {
        self.policy = policy
        self.effective = effective
    }
}

/// A person who may record entries, and the role they act in (stream `user-<id>`).
public struct UserRegistered: TrainingEventPayload {
    public static let type = "access.user-registered.v1"
    public var user: OfficerID
    public var name: String
    public var role: Role
    public init(user: OfficerID, name: String, role: Role) {
        self.user = user
        self.name = name
        self.role = role
    }
}

/// A user may no longer sign in or record entries (their sessions and tokens end at once).
public struct UserDisabled: TrainingEventPayload {
    public static let type = "access.user-disabled.v1"
    public var user: OfficerID
    public var reason: String
    public init(user: OfficerID, reason: String) {
        self.user = user
        self.reason = reason
    }
}

/// A disabled user may sign in and record again.
public struct UserEnabled: TrainingEventPayload {
    public static let type = "access.user-enabled.v1"
    public var user: OfficerID
    public var reason: String
    public init(user: OfficerID, reason: String) {
        self.user = user
        self.reason = reason
    }
}

/// A user acts in another role from now on.
public struct UserRoleChanged: TrainingEventPayload {
    public static let type = "access.user-role-changed.v1"
    public var user: OfficerID
    public var role: Role
    public var reason: String
    public init(user: OfficerID, role: Role, reason: String) {
        self.user = user
        self.role = role
        self.reason = reason
    }
}

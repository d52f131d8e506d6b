/// The role someone acts in when recording an entry. Ranked for corrections: an entry may be
/// corrected only by its author's role or a higher one.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case trainee
    case academyInstructor = "academy_instructor"
    case fto
    case trainingSergeant = "training_sergeant"
    case commandStaff = "command_staff"
    case chiefDesignee = "chief_designee"
    case chief
    case complianceReviewer = "compliance_reviewer"
    /// Runs the system (IT): repairs the log with the operator's tools, recorded as such.
    case systemAdministrator = "system_administrator"

    /// Authority for corrections. Compliance reviewers read; they do not write. System
    /// administrators act on the record only through the operator's tools.
    public var rank: Int {
        switch self {
        case .complianceReviewer, .systemAdministrator: 0
        case .trainee: 1
        case .academyInstructor, .fto: 2
        case .trainingSergeant: 3
        case .commandStaff: 4
        case .chiefDesignee: 5
        case .chief: 6
        }
    }

    public var description: String { String(rawValue.map { $0 == "_" ? " " : $0 }) }
}

/// Who is acting: a user and the role they act in.
public struct Actor: Hashable, Sendable, Codable, CustomStringConvertible {
    public var id: OfficerID
    public var role: Role

    public init(id: OfficerID, role: Role) {
        self.id = id
        self.role = role
    }

    public var description: String { "\(id) (\(role))" }
}

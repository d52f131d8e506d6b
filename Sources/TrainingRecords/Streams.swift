public import EventLog
public import TrainingDomain

/// Whose record a command is about, and the stream that holds it. Every stream name Muster
/// writes is made here.
public enum FileReference: Hashable, Sendable, CustomStringConvertible {
    case trainee(TraineeID)
    case officer(OfficerID)

    public var stream: StreamID {
        get throws {
            switch self {
            case .trainee(let id): try Streams.trainee(id)
            case .officer(let id): try Streams.officer(id)
            }
        }
    }

    /// The person, as a user id (a trainee signs in under their trainee id).
    public var person: OfficerID {
        switch self {
        case .trainee(let id): OfficerID(id.rawValue)
        case .officer(let id): id
        }
    }

    public var description: String {
        switch self {
        case .trainee(let id): "trainee \(id)"
        case .officer(let id): "officer \(id)"
        }
    }
}

/// Stream naming (message-db's `category-id`): a personnel file per trainee and per officer,
/// and per agency one policy stream and one user roster.
public enum Streams {
    public enum Category: String, CaseIterable, Sendable {
        case trainee, officer, policy, users

        /// `category-`, the prefix of every stream in it.
        public var prefix: String { rawValue + "-" }
    }

    public static func trainee(_ id: TraineeID) throws -> StreamID { try StreamID(category: Category.trainee.rawValue, id: id.rawValue) }
    public static func officer(_ id: OfficerID) throws -> StreamID { try StreamID(category: Category.officer.rawValue, id: id.rawValue) }
    public static func policy(_ agency: AgencyID) throws -> StreamID { try StreamID(category: Category.policy.rawValue, id: agency.rawValue) }
    public static func users(_ agency: AgencyID) throws -> StreamID { try StreamID(category: Category.users.rawValue, id: agency.rawValue) }

    public static func category(of stream: StreamID) -> Category? { Category(rawValue: stream.category) }

    /// The trainee whose file `stream` is, if it is one.
    public static func trainee(of stream: StreamID) -> TraineeID? {
        category(of: stream) == .trainee ? TraineeID(String(stream.rawValue.dropFirst(Category.trainee.prefix.count))) : nil
    }

    /// The id after the category (`officer-fto.chen` → `fto.chen`).
    public static func id(of stream: StreamID) -> String {
        String(stream.rawValue.drop { $0 != "-" }.dropFirst())
    }

    /// The categories whose streams are personnel files (folded by ``TrainingDecider``).
    public static let personnelFiles: [Category] = [.trainee, .officer]
}

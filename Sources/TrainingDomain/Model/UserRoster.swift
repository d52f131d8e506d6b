/// The people who may record entries in an agency, and the role each acts in (folded from the
/// agency's `users` stream).
public struct UserRoster: Hashable, Sendable {
    public struct Member: Hashable, Sendable {
        public var id: OfficerID
        public var name: String
        public var role: Role
        /// The day they were registered.
        public var since: Day
    }

    public private(set) var members: [OfficerID: Member] = [:]

    public init() {}

    public var isEmpty: Bool { members.isEmpty }

    public func member(_ id: OfficerID) -> Member? { members[id] }

    /// Members by id, for listings.
    public var sorted: [Member] { members.values.sorted { $0.id < $1.id } }

    mutating func register(_ member: Member) { members[member.id] = member }
}

/// What command staff and sergeants do to the roster.
public enum RosterCommand: Hashable, Sendable {
    case register(user: OfficerID, name: String, role: Role)
}

/// Decides registrations. The first user registers themself and must be the chief, a designee or
/// command staff; after that a registered manager registers others, each only into a role below
/// their own (the chief into any role), so a sergeant cannot make a chief.
public enum RosterDecider: Decider {
    public static var initial: UserRoster { UserRoster() }

    static let founders: Set<Role> = [.chief, .chiefDesignee, .commandStaff]
    static let managers: Set<Role> = [.trainingSergeant, .commandStaff, .chiefDesignee, .chief]

    public static func decide(_ command: RosterCommand, _ roster: UserRoster, _ context: CommandContext) throws(DomainError) -> [Entry] {
        switch command {
        case .register(let user, let name, let role):
            guard user.isWellFormedUserID else {
                throw DomainError(.invalidInput, "user id \"\(user.rawValue.prefix(40))\" may hold letters, digits and . _ : - only (at most 100)")
            }
            guard !name.allSatisfy(\.isWhitespace) else { throw DomainError(.invalidInput, "user \(user) needs a name") }
            if let existing = roster.member(user) {
                throw DomainError(.alreadyRegistered, "user \(user) is already registered (as \(existing.role), since \(existing.since))")
            }
            let actor = context.actor
            if roster.isEmpty {
                guard actor.id == user, actor.role == role else {
                    throw DomainError(.notAuthorized, "no users exist yet: the first user registers themself")
                }
                guard founders.contains(role) else {
                    throw DomainError(.notAuthorized, "the first user must be the chief or command staff, who then add everyone else")
                }
            } else {
                guard let registered = roster.member(actor.id), registered.role == actor.role else {
                    throw DomainError(
                        .notAuthorized, "\(actor.id) is not a registered \(actor.role); add users as a registered sergeant or commander")
                }
                guard managers.contains(actor.role) else {
                    throw DomainError(
                        .notAuthorized,
                        "\(actor.id) acting as \(actor.role) may not add users; that takes a training sergeant, command staff or the chief")
                }
                guard mayRegister(role, as: actor.role) else {
                    throw DomainError(
                        .notAuthorized, "\(actor.id) acting as \(actor.role) may not register a \(role); that takes a higher rank")
                }
            }
            let event = TrainingEvent.userRegistered(UserRegistered(user: user, name: name, role: role))
            return try Recorder(context: context).entries([(event, context.today)])
        }
    }

    /// A manager registers roles ranked below their own; compliance reviewers, who audit the
    /// training staff, and system administrators only command staff and above; the chief anyone.
    static func mayRegister(_ role: Role, as manager: Role) -> Bool {
        if manager == .chief { return true }
        if role == .complianceReviewer || role == .systemAdministrator { return manager.rank >= Role.commandStaff.rank }
        return role.rank < manager.rank
    }

    public static func evolve(_ roster: inout UserRoster, _ entry: Entry) {
        if case .userRegistered(let registered) = entry.event {
            roster.register(.init(id: registered.user, name: registered.name, role: registered.role, since: entry.occurredOn))
        }
    }
}

extension OfficerID {
    /// 1 to 100 of letters, digits and `. _ : -`: safe in stream names, URLs and file names.
    public var isWellFormedUserID: Bool {
        let bytes = rawValue.utf8
        return (1...100).contains(bytes.count)
            && bytes.allSatisfy { byte in
                switch byte {
                case 0x61...0x7a, 0x41...0x5a, 0x30...0x39, 0x2e, 0x5f, 0x3a, 0x2d: true
                default: false
                }
            }
    }
}

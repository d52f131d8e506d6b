/// The people who may record entries in an agency, and the role each acts in (folded from the
/// agency's `users` stream).
public struct UserRoster: Hashable, Sendable {
    public struct Member: Hashable, Sendable {
        public var id: OfficerID
        public var name: String
        public var role: Role
        /// The day they were registered.
        public var since: Day
        /// Disabled users neither sign in nor record.
        public var disabled = false
    }

    public private(set) var members: [OfficerID: Member] = [:]
    /// The program's Field Training Supervisor/Administrator/Coordinator (SAC), appointed by
    /// the department head, and since when.
    public internal(set) var coordinator: Coordinator?

    public struct Coordinator: Hashable, Sendable {
        public var user: OfficerID
        public var since: Day
        public init(user: OfficerID, since: Day) {
            self.user = user
            self.since = since
        }
    }

    public init() {}

    public var isEmpty: Bool { members.isEmpty }

    public func member(_ id: OfficerID) -> Member? { members[id] }

    /// Members by id, for listings.
    public var sorted: [Member] { members.values.sorted { $0.id < $1.id } }

    mutating func register(_ member: Member) { members[member.id] = member }
    mutating func update(_ id: OfficerID, _ change: (inout Member) -> Void) {
        if var member = members[id] {
            change(&member)
            members[id] = member
        }
    }
}

/// What command staff and sergeants do to the roster.
public enum RosterCommand: Hashable, Sendable {
    case register(user: OfficerID, name: String, role: Role)
    case disable(user: OfficerID, reason: String)
    case enable(user: OfficerID, reason: String)
    case changeRole(user: OfficerID, role: Role, reason: String)
    /// The department head appoints the program's coordinator (SAC).
    case appointCoordinator(user: OfficerID, effective: Day)
}

/// Decides registrations. The first user registers themself and must be the chief, a designee or
/// command staff; after that a registered manager registers others, each only into a role below
/// their own (the chief into any role), so a sergeant cannot make a chief.
public enum RosterDecider: Decider {
    public static var initial: UserRoster { UserRoster() }

    static let founders: Set<Role> = [.chief, .chiefDesignee, .commandStaff]
    static let managers: Set<Role> = [.trainingSergeant, .commandStaff, .chiefDesignee, .chief]

    public static func decide(_ command: RosterCommand, _ roster: UserRoster, _ context: CommandContext) throws(DomainError) -> [Entry] {
        let event: TrainingEvent
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
                try manager(context.actor, in: roster, may: "register a \(role)", role: role)
            }
            event = .userRegistered(UserRegistered(user: user, name: name, role: role))
        case .disable(let user, let reason):
            let member = try existing(user, in: roster)
            guard !member.disabled else { throw DomainError(.userDisabled, "user \(user) is already disabled") }
            guard user != context.actor.id else { throw DomainError(.ownRecord, "\(user) cannot disable themself") }
            try manager(context.actor, in: roster, may: "disable a \(member.role)", role: member.role)
            try reasonGiven(reason)
            event = .userDisabled(UserDisabled(user: user, reason: reason))
        case .enable(let user, let reason):
            let member = try existing(user, in: roster)
            guard member.disabled else { throw DomainError(.invalidInput, "user \(user) is not disabled") }
            try manager(context.actor, in: roster, may: "enable a \(member.role)", role: member.role)
            try reasonGiven(reason)
            event = .userEnabled(UserEnabled(user: user, reason: reason))
        case .changeRole(let user, let role, let reason):
            let member = try existing(user, in: roster)
            guard member.role != role else { throw DomainError(.invalidInput, "user \(user) already acts as \(role)") }
            guard user != context.actor.id else { throw DomainError(.ownRecord, "\(user) cannot change their own role") }
            try manager(context.actor, in: roster, may: "change a \(member.role)'s role", role: member.role)
            try manager(context.actor, in: roster, may: "make someone a \(role)", role: role)
            try reasonGiven(reason)
            event = .userRoleChanged(UserRoleChanged(user: user, role: role, reason: reason))
        case .appointCoordinator(let user, let effective):
            let actor = context.actor
            guard let head = roster.member(actor.id), head.role == actor.role, !head.disabled,
                actor.role == .chief || actor.role == .chiefDesignee
            else {
                throw DomainError(
                    .notAuthorized, "\(actor.id) acting as \(actor.role) may not appoint the program's coordinator; the department head does")
            }
            let member = try existing(user, in: roster)
            guard !member.disabled else { throw DomainError(.userDisabled, "user \(user) is disabled") }
            guard member.role.rank >= Role.trainingSergeant.rank else {
                throw DomainError(
                    .invalidInput, "the coordinator (SAC) supervises the program: appoint a training sergeant or higher, not a \(member.role)")
            }
            if let current = roster.coordinator, current.user == user {
                throw DomainError(.invalidInput, "\(user) is the coordinator already (since \(current.since))")
            }
            event = .coordinatorAppointed(CoordinatorAppointed(user: user, effective: effective))
            return try Recorder(context: context).entries([(event, min(effective, context.today))])
        }
        return try Recorder(context: context).entries([(event, context.today)])
    }

    static func existing(_ user: OfficerID, in roster: UserRoster) throws(DomainError) -> UserRoster.Member {
        guard let member = roster.member(user) else { throw DomainError(.unknownUser, "no user \(user) is registered") }
        return member
    }

    static func reasonGiven(_ reason: String) throws(DomainError) {
        guard !reason.allSatisfy(\.isWhitespace) else { throw DomainError(.invalidInput, "say why (a reason is recorded)") }
    }

    /// The actor is a registered, enabled manager whose rank lets them act on `role`.
    static func manager(_ actor: Actor, in roster: UserRoster, may action: String, role: Role) throws(DomainError) {
        guard let registered = roster.member(actor.id), registered.role == actor.role, !registered.disabled else {
            throw DomainError(.notAuthorized, "\(actor.id) is not a registered \(actor.role); add users as a registered sergeant or commander")
        }
        guard managers.contains(actor.role) else {
            throw DomainError(
                .notAuthorized, "\(actor.id) acting as \(actor.role) may not add users; that takes a training sergeant, command staff or the chief")
        }
        guard mayRegister(role, as: actor.role) else {
            throw DomainError(.notAuthorized, "\(actor.id) acting as \(actor.role) may not \(action); that takes a higher rank")
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
        switch entry.event {
        case .userRegistered(let registered):
            roster.register(.init(id: registered.user, name: registered.name, role: registered.role, since: entry.occurredOn))
        case .userDisabled(let e): roster.update(e.user) { $0.disabled = true }
        case .userEnabled(let e): roster.update(e.user) { $0.disabled = false }
        case .userRoleChanged(let e): roster.update(e.user) { $0.role = e.role }
        case .coordinatorAppointed(let e): roster.coordinator = UserRoster.Coordinator(user: e.user, since: e.effective)
        default: break
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

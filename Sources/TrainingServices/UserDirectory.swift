public import EventLog
public import Foundation
public import TrainingDomain
import TrainingProjections

/// Users and their roles, recorded in the log: one stream per agency (`users-<agency>`), read
/// with read-your-writes consistency and appended with an expected version, so two
/// registrations cannot race past each other's checks.
///
/// The first user registers themself (bootstrapping an empty system, and must be chief or
/// command staff); after that only a training sergeant, command staff or the chief adds users.
public struct UserDirectory: Sendable {
    public let store: any EventStore
    public let agency: AgencyID
    let newID: @Sendable () -> UUID
    static let managers: Set<Role> = [.trainingSergeant, .commandStaff, .chiefDesignee, .chief]

    public init(store: any EventStore, agency: AgencyID = AgencyID("pasadena"), newID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.store = store
        self.agency = agency
        self.newID = newID
    }

    var stream: StreamID {
        get throws { try StreamID(category: "users", id: agency.rawValue) }
    }

    /// Registers `user`; `actor` is who adds them (`nil` only to bootstrap an empty system).
    public func add(_ user: OfficerID, name: String, role: Role, by actor: Actor?, today: Day) async throws {
        guard StreamID.isValidName("user-\(user.rawValue)") else {
            throw DomainError(.invalidInput, "user name \"\(user)\" may hold letters, digits and . _ : - only")
        }
        guard !name.allSatisfy(\.isWhitespace) else { throw DomainError(.invalidInput, "a user needs a name") }
        for _ in 0..<5 {
            let (existing, version) = try await load()
            if existing.contains(where: { $0.user == user }) { throw DomainError(.invalidInput, "user \(user) is already registered") }
            let recordedBy: Actor
            if let actor {
                guard existing.contains(where: { $0.user == actor.id && $0.role == actor.role }) else {
                    throw DomainError(.notAuthorized, "\(actor.id) is not a registered user; add users as a registered sergeant or commander")
                }
                guard Self.managers.contains(actor.role) else {
                    throw DomainError(
                        .notAuthorized, "\(actor.id) acting as \(actor.role) may not add users; that takes a training sergeant, command staff or the chief")
                }
                recordedBy = actor
            } else {
                guard existing.isEmpty else {
                    throw DomainError(.notAuthorized, "users already exist; say who is adding this one with --as NAME (or MUSTER_USER)")
                }
                guard [.chief, .chiefDesignee, .commandStaff].contains(role) else {
                    throw DomainError(.notAuthorized, "the first user must be the chief or command staff, who then add everyone else")
                }
                recordedBy = Actor(id: user, role: role)
            }
            let entry = Entry(
                id: EntryID(newID().uuidString.lowercased()), occurredOn: today, actor: recordedBy,
                event: .userRegistered(UserRegistered(user: user, name: name, role: role)))
            do {
                _ = try await store.append(
                    [try EntryMapping.eventData(entry, source: actor == nil ? "bootstrap" : "cli")], to: try stream,
                    expectedVersion: version == 0 ? .noStream : .exact(version))
                return
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                continue
            }
        }
        throw EventLogError(code: .wrongExpectedVersion, message: "the user list kept changing; try again")
    }

    /// The acting user, with the role they are registered in.
    public func resolve(_ user: OfficerID) async throws -> Actor {
        guard let registered = try await all().last(where: { $0.user == user }) else {
            throw DomainError(.notAuthorized, "unknown user \(user); add them with `muster user add \(user) --name ... --role ...`")
        }
        return Actor(id: registered.user, role: registered.role)
    }

    /// Every registered user.
    public func all() async throws -> [UserRegistered] { try await load().users }

    func load() async throws -> (users: [UserRegistered], version: Int) {
        let events = try await store.readStream(try stream)
        let users = try events.compactMap { event -> UserRegistered? in
            if case .userRegistered(let registered) = try EntryMapping.entry(event).event { return registered }
            return nil
        }
        return (users, events.last?.version ?? 0)
    }
}

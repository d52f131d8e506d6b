import TrainingDomain
import TrainingProjections
import TrainingServices

/// Where the server's boards read: the hot standby when one is configured (`MUSTER_READ_URL` or
/// `--read-url`) and fit to answer, else the primary. A user who has just written reads their
/// own write: every successful write notes the primary's log position for that user, and their
/// board reads wait (bounded) for the standby to apply it, or go to the primary, the reason
/// logged. Recording never goes to the standby.
actor WritePositions {
    private var latest: [OfficerID: ReadConsistency] = [:]

    /// Remembers `position` as `user`'s latest write (keeping the later of two).
    func note(_ position: ReadConsistency, for user: OfficerID) { latest[user] = position.merged(with: latest[user]) }

    /// The position `user`'s reads must have reached, if they wrote since the server started.
    func position(for user: OfficerID) -> ReadConsistency? { latest[user] }
}

extension MusterServer {
    /// The read models for `call`'s boards: from the replica when there is one that has applied
    /// the caller's own writes, else from the request's lease on the primary.
    func boardReads<T: Sendable>(_ call: Call, _ body: (ReadModelQueries) async throws -> T) async throws -> T {
        try await boardReads(lease: call.lease, identity: call.identity, body)
    }

    /// The same for a page or any caller holding `lease` as `identity`.
    func boardReads<T: Sendable>(
        lease: ConnectionPool.Lease, identity: Identity?, _ body: (ReadModelQueries) async throws -> T
    ) async throws -> T {
        guard configuration.database.hasReplica else { return try await body(lease.readModels) }
        var consistency: ReadConsistency?
        if let user = identity?.actor.id { consistency = await writePositions.position(for: user) }
        return try await configuration.database.withReadModels(consistency: consistency, body)
    }

    /// After a write by `identity` succeeded: note the primary's position for their next reads
    /// (only when reads may go to a replica).
    func noteWrite(by identity: Identity, _ lease: ConnectionPool.Lease) async throws {
        guard configuration.database.hasReplica else { return }
        await writePositions.note(try await lease.services.readConsistency(), for: identity.actor.id)
    }
}

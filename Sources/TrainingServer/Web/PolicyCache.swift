import EventLog
import TrainingDomain
import TrainingRecords
import TrainingServices

/// The agency's policies for the pages, kept current the way ``RosterCache`` keeps the roster:
/// each call reads only the policy stream's entries after the last one it saw (usually none,
/// one indexed query) instead of reading and decoding every adopted policy on every page (a
/// policy is a large entry: at 100,000 officers that was a third of the reviewer's timeline).
actor PolicyCache {
    let agency: AgencyID
    private var book = PolicyDecider.initial
    private var version = 0

    init(agency: AgencyID) {
        self.agency = agency
    }

    /// Every policy the agency adopted, as the log holds it now.
    func current(from store: any EventStore) async throws -> PolicyBook {
        let newer = try await store.readStream(try Streams.policy(agency), from: version + 1, direction: .forward, limit: 10_000)
        // Another call may have applied some of these while this one waited for the database.
        for event in newer where event.version > version {
            PolicyDecider.evolve(&book, EntryMapping.entry(event))
            version = event.version
        }
        return book
    }
}

extension WebCall {
    /// The policies in force, from the server's cache.
    func policies() async throws -> PolicyBook { try await server.policyBooks.current(from: lease.services.store) }
}

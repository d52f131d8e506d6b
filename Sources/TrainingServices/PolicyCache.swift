public import EventLog
public import TrainingDomain
import TrainingRecords

/// The agency's policies for a server, kept current the way ``RosterCache`` keeps the roster:
/// each call reads only the policy stream's entries after the last one it saw (usually none,
/// one indexed query) instead of reading and decoding every adopted policy on every request (a
/// policy is a large entry: at 100,000 officers that was a third of the reviewer's timeline).
/// With the stream's version read a moment ago (with the caller's credentials), not even that.
public actor PolicyCache {
    let agency: AgencyID
    private var book = PolicyDecider.initial
    private var version = 0

    public init(agency: AgencyID) {
        self.agency = agency
    }

    /// The policy stream this cache follows.
    public nonisolated var stream: StreamID { get throws { try Streams.policy(agency) } }

    /// Every policy the agency adopted, as the log holds it now. `knownVersion`, the policy
    /// stream's version read a moment ago, spares the query when nothing is newer.
    public func current(from store: any EventStore, knownVersion: Int? = nil) async throws -> PolicyBook {
        if let knownVersion, knownVersion <= version { return book }
        let newer = try await store.readStream(try Streams.policy(agency), from: version + 1, direction: .forward, limit: 10_000)
        // Another call may have applied some of these while this one waited for the database.
        for event in newer where event.version > version {
            PolicyDecider.evolve(&book, EntryMapping.entry(event))
            version = event.version
        }
        return book
    }
}

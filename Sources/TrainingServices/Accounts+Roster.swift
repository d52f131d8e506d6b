public import EventLog
import Foundation
public import TrainingDomain
import TrainingRecords

/// The agency's roster, kept current for a server: each call reads only the users stream's
/// entries after the last one it saw (usually none, one indexed query), so a user disabled a
/// moment ago is refused on their very next request, without folding the stream every time.
public actor RosterCache {
    let agency: AgencyID
    private var roster = UserRoster()
    private var version = 0

    public init(agency: AgencyID) {
        self.agency = agency
    }

    /// The users stream this cache follows.
    public var stream: StreamID { get throws { try Streams.users(agency) } }

    /// The roster as the log holds it now. `knownVersion`, the users stream's version read a
    /// moment ago (with the caller's credentials), spares the query when nothing is newer.
    public func current(from store: any EventStore, knownVersion: Int? = nil) async throws -> UserRoster {
        if let knownVersion, knownVersion <= version { return roster }
        let stream = try Streams.users(agency)
        let newer = try await store.readStream(stream, from: version + 1, direction: .forward, limit: 100_000)
        // Another call may have applied some of these while this one waited for the database.
        for event in newer where event.version > version {
            RosterDecider.evolve(&roster, EntryMapping.entry(event))
            version = event.version
        }
        return roster
    }
}

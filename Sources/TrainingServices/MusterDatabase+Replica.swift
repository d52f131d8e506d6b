public import EventLogPostgres
public import Foundation
import Postgres
public import TrainingProjections

/// A point in the primary's write-ahead log that a read must have reached: taken right after a
/// session's write (``Services/readConsistency()``), it lets that session read from a hot
/// standby and still see what it wrote. A front end keeps the latest per session (in its
/// session store or a cookie; it is a position, not a secret) and passes it with every read
/// that must see that session's own writes. Text form: PostgreSQL's `pg_lsn` (`16/B374D848`).
public struct ReadConsistency: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible {
    /// The log position as one 64-bit number.
    public let lsn: UInt64

    public init(lsn: UInt64) { self.lsn = lsn }

    /// Reads `pg_lsn` text: two hexadecimal numbers of up to 8 digits around a slash.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...8).contains($0.count) }), let high = UInt64(parts[0], radix: 16),
            let low = UInt64(parts[1], radix: 16)
        else { return nil }
        lsn = high << 32 | low
    }

    public var description: String { String(lsn >> 32, radix: 16, uppercase: true) + "/" + String(lsn & 0xFFFF_FFFF, radix: 16, uppercase: true) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.lsn < rhs.lsn }

    /// The later of the two: what a session keeps after another write.
    public func merged(with other: ReadConsistency?) -> ReadConsistency { max(self, other ?? self) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ReadConsistency(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a log position: \(text.prefix(40))"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// When reads leave the replica for the primary, and where that is said.
public struct ReplicaPolicy: Sendable {
    /// A replica further behind than this (WAL received but not applied, and its last applied
    /// commit older than this) is passed over.
    public var maximumLag: Duration
    /// How long a read that must see a write waits for the replica to apply it.
    public var waitLimit: Duration
    /// Where a fall-back to the primary is reported (standard error by default). Messages name
    /// both servers, passwords hidden.
    public var log: @Sendable (String) -> Void

    public init(
        maximumLag: Duration = .seconds(5), waitLimit: Duration = .seconds(2),
        log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(("muster: " + $0 + "\n").utf8)) }
    ) {
        self.maximumLag = maximumLag
        self.waitLimit = waitLimit
        self.log = log
    }
}

/// Where a read was answered.
public enum ReadSource: Sendable, Hashable {
    /// The primary: no replica is configured.
    case primary
    /// The replica.
    case replica
    /// The primary, because the replica could not answer; `reason` says why.
    case primaryInstead(reason: String)
}

/// Reads from a hot standby (`MUSTER_READ_URL`, or `readURL:`): boards and history go there when
/// it is fit to answer, and to the primary otherwise, with the reason logged. Writes never go
/// there: the only writer, the store behind ``withServices(agency:_:)``, always connects to the
/// primary, and replica connections are read-only besides (`default_transaction_read_only`).
///
/// A replica is passed over when it cannot be reached, is not a standby (promoted, or a URL
/// naming a primary), is not streaming from the primary, lags more than
/// ``ReplicaPolicy/maximumLag``, or has not applied a session's ``ReadConsistency`` within
/// ``ReplicaPolicy/waitLimit``.
extension MusterDatabase {
    /// Whether reads have a replica to go to.
    public var hasReplica: Bool { readConfiguration != nil }

    /// Where the replica is, password hidden (`nil` without one).
    public var replicaDisplayName: String? { readConfiguration?.description }

    /// The read models, from the replica once it has applied `consistency` (if given), else
    /// from the primary.
    public func withReadModels<T: Sendable>(consistency: ReadConsistency?, _ body: (ReadModelQueries) async throws -> T) async throws -> T {
        let (client, _) = try await openForReading(consistency)
        do {
            let value = try await body(ReadModelQueries(client: client))
            await client.close()
            return value
        } catch {
            await client.close()
            throw error
        }
    }

    /// History, as-of and known-at questions answered from the replica once it has applied
    /// `consistency`, else from the primary.
    public func withReplay<T: Sendable>(consistency: ReadConsistency?, _ body: (Replay) async throws -> T) async throws -> T {
        try await withReadStore(consistency: consistency) { try await body(Replay(store: $0)) }
    }

    /// An event store for reading (streams, the log, subscriptions, which poll on a standby),
    /// on the replica once it has applied `consistency`, else on the primary. Appending through
    /// it on a replica fails: record through ``withServices(agency:_:)``.
    public func withReadStore<T: Sendable>(consistency: ReadConsistency?, _ body: (PostgresEventStore) async throws -> T) async throws -> T {
        let (client, source) = try await openForReading(consistency)
        await client.close()
        let primary = try sessionConfiguration()
        let target = source == .replica ? (try readSessionConfiguration() ?? primary) : primary
        return try await using({ try await PostgresEventStore.connect(target) }, close: { await $0.close() }, body)
    }

    /// Where a read with `consistency` would be answered now, and why (for status pages and tests).
    public func readSource(consistency: ReadConsistency? = nil) async throws -> ReadSource {
        let (client, source) = try await openForReading(consistency)
        await client.close()
        return source
    }

    /// A connection for reads: to the replica when it is fit to answer, else to the primary
    /// (the reason logged).
    func openForReading(_ consistency: ReadConsistency?) async throws -> (PostgresClient, ReadSource) {
        let primary = try sessionConfiguration()
        guard let replica = try readSessionConfiguration() else { return (try await PostgresClient.connectForEventLog(primary), .primary) }
        let reason: String
        do {
            let client = try await PostgresClient.connect(replica, patience: .zero)
            do {
                guard let refusal = try await ReplicaCheck.refusal(client, consistency: consistency, policy: replicaPolicy) else {
                    return (client, .replica)
                }
                reason = refusal
            } catch {
                reason = "checking it failed: \(ReplicaCheck.describe(error))"
            }
            await client.close()
        } catch {
            reason = "it cannot be reached: \(ReplicaCheck.describe(error))"
        }
        replicaPolicy.log("reading from the primary \(configuration), not the replica \(replica): \(reason)")
        return (try await PostgresClient.connectForEventLog(primary), .primaryInstead(reason: reason))
    }

    /// The replica's configuration for `url`: read-only sessions, and a bounded wait to connect
    /// (an unreachable replica must not hold a read for the operating system's TCP timeout).
    static func replicaConfiguration(_ url: String?) -> PostgresConfiguration? {
        guard var conninfo = url, !conninfo.isEmpty else { return nil }
        if !conninfo.contains("connect_timeout") {
            if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") {
                conninfo += (conninfo.contains("?") ? "&" : "?") + "connect_timeout=2"
            } else {
                conninfo += " connect_timeout=2"
            }
        }
        return PostgresConfiguration(conninfo: conninfo, applicationName: "muster-reader", options: "-c default_transaction_read_only=on")
    }
}

extension Services {
    /// The primary's log position now, after this session's writes: pass it with the reads
    /// that must see them (``MusterDatabase/withReadModels(consistency:_:)``,
    /// ``MusterDatabase/withReplay(consistency:_:)``), merged with what the session held.
    public func readConsistency() async throws -> ReadConsistency {
        let text = try await store.walPosition()
        guard let position = ReadConsistency(text) else {
            throw PostgresError(code: .unexpectedResult, message: "the server gave a log position Muster cannot read: \(text.prefix(40))")
        }
        return position
    }
}

/// Whether a connected replica may answer.
enum ReplicaCheck {
    /// Why the replica must not answer, or `nil` when it may. Waits (bounded) for it to apply
    /// `consistency`.
    static func refusal(_ client: PostgresClient, consistency: ReadConsistency?, policy: ReplicaPolicy) async throws -> String? {
        let (standby, receiver, lag) = try await client.withConnection { connection in
            try connection.query(
                """
                SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver),
                       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000, 0) END::bigint
                """
            ).decodeRow(0, as: Bool.self, String?.self, Int64.self)
        }
        guard standby else { return "it is not a standby (promoted, or the read URL names a primary), so it no longer follows the primary" }
        // The receiver's status is hidden from roles without pg_read_all_stats: only a known
        // status other than streaming counts against the replica.
        if let receiver, receiver != "streaming" { return "it is not streaming from the primary (its WAL receiver is \(receiver))" }
        if let consistency, let replayed = try await waitForReplay(client, to: consistency, within: policy.waitLimit) {
            return "it had not applied this session's last write (\(consistency)) within \(policy.waitLimit) (it had reached \(replayed))"
        }
        if .milliseconds(lag) > policy.maximumLag { return "it lags \(Duration.milliseconds(lag)) behind the primary (limit \(policy.maximumLag))" }
        return nil
    }

    /// Waits until the replica has applied `position`: `nil` once it has, else where it had got
    /// to when `limit` passed.
    static func waitForReplay(_ client: PostgresClient, to position: ReadConsistency, within limit: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + limit
        var pause = Duration.milliseconds(1)
        while true {
            let (reached, replayed) = try await client.withConnection { connection in
                try connection.query(
                    "SELECT coalesce(pg_last_wal_replay_lsn() >= \(position.description)::pg_lsn, false), coalesce(pg_last_wal_replay_lsn()::text, '0/0')"
                ).decodeRow(0, as: Bool.self, String.self)
            }
            if reached { return nil }
            guard ContinuousClock.now + pause < deadline else { return replayed }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// An error on one line, with no connection secrets (configurations print passwords hidden).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresError { return error.message }
        return String(describing: error)
    }
}

import EventLog
import Foundation
import Postgres

extension Audit {
    /// The newest seal as stored, read in one short query (no chain is checked): for pages that
    /// show the audit state on every load. ``verify(verifyingKey:expectedSeal:pageSize:)`` is
    /// what checks it.
    public struct LatestSeal: Sendable, Hashable {
        public var summary: SealSummary
        /// Every transaction below this one (in the log's own transaction-id space) is covered.
        public var horizon: String?
    }

    public func latestSeal() async throws -> LatestSeal? {
        try await withEventLogErrors {
            try await client.withConnection { connection in
                try connection.query(
                    """
                    SELECT seal_id, sealed_at, stream_count, event_count, seal_hash, key_id, horizon
                    FROM muster.seals ORDER BY seal_id DESC LIMIT 1
                    """
                ).decodeAll(as: Int64.self, Date.self, Int.self, Int64.self, PostgresBytes.self, String?.self, PostgresTransactionID?.self)
                    .first.map { id, at, streams, events, hash, key, horizon in
                        LatestSeal(
                            summary: SealSummary(
                                id: id, sealedAt: at, streams: streams, events: events, hash: HexBytes.encode(hash.bytes), keyID: key),
                            horizon: horizon.map { "\($0.rawValue)" })
                    }
            }
        }
    }
}

public import EventLog
public import Postgres

/// A rebuild's reads in stream order: one horizon fixed for the whole rebuild, split points that
/// share the streams between parallel readers, and a binary COPY of one range of streams, each
/// stream's events together and in version order. Memory on the reading side is bounded by
/// the largest stream, not by the log.
extension PostgresEventStore {
    /// What a rebuild reads: every event whose writing transaction is below `horizon` (all of
    /// them finished when it was taken, so every connection sees the same rows below it), and
    /// the last of them in log order (the rebuild's checkpoint; ``LogPosition/start`` if none).
    public struct ScanHorizon: Sendable, Hashable {
        public var horizon: UInt64
        public var last: LogPosition
    }

    /// Fixes the safe horizon now, and finds the last event below it.
    public static func scanHorizon(on connection: PostgresConnection) throws -> ScanHorizon {
        let horizon = try connection.query("SELECT muster.log_horizon()").decodeRow(0, as: PostgresTransactionID.self)
        let last = try connection.query(
            """
            SELECT xact_id, global_position FROM muster.events WHERE xact_id < \(horizon)
            ORDER BY xact_id DESC, global_position DESC LIMIT 1
            """
        ).decodeAll(as: PostgresTransactionID.self, Int64.self).first
        return ScanHorizon(
            horizon: horizon.rawValue, last: last.map { LogPosition(transaction: $0.0.rawValue, global: $0.1) } ?? .start)
    }

    /// Up to `parts - 1` stream ids that cut the log into `parts` ranges of about the same
    /// number of events, from the planner's statistics on `stream_id` (`ANALYZE`, which
    /// autovacuum runs). Empty when there are no statistics yet: then one range reads it all.
    public static func streamSplits(parts: Int, on connection: PostgresConnection) throws -> [String] {
        guard parts > 1 else { return [] }
        let bounds = try connection.query(
            """
            SELECT bound FROM pg_stats, unnest(histogram_bounds::text::text[]) WITH ORDINALITY AS b(bound, n)
            WHERE schemaname = 'muster' AND tablename = 'events' AND attname = 'stream_id'
            ORDER BY n
            """
        ).decodeAll(as: String.self)
        guard bounds.count > 2 else { return [] }
        // Histogram bounds are equal-frequency quantiles: take evenly spaced inner ones.
        var splits: [String] = []
        for part in 1..<parts {
            let bound = bounds[part * (bounds.count - 1) / parts]
            if bound != splits.last, bound != bounds.first { splits.append(bound) }
        }
        return splits
    }

    /// Streams from `from` (inclusive) to `to` (exclusive), `nil` meaning no bound, below
    /// `horizon`, in stream order, as binary COPY tuples of ``scanColumnCount`` columns
    /// (``scanColumns``). The planner picks an index scan on `(stream_id, stream_version)` or a
    /// sequential scan and a sort (in the server's `work_mem` and temporary files), whichever
    /// is cheaper for how the log lies on disk.
    public static func scanStreams(
        from: String?, to: String?, below horizon: UInt64, on connection: PostgresConnection,
        _ onTuple: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        // COPY takes no bound parameters: the values travel as bound settings of this session,
        // read back by the constant statement below.
        try connection.query(
            """
            SELECT set_config('muster.scan_horizon', \(String(horizon)), false),
                   set_config('muster.scan_from', \(from ?? ""), false), set_config('muster.scan_to', \(to ?? ""), false)
            """)
        let lower = from == nil ? "" : "AND stream_id >= current_setting('muster.scan_from')"
        let upper = to == nil ? "" : "AND stream_id < current_setting('muster.scan_to')"
        var copy = PostgresBinaryCopy.Stream()
        try connection.copyOut(
            unsafeSQL: """
                COPY (SELECT \(scanColumns)
                      FROM muster.events
                      WHERE xact_id < current_setting('muster.scan_horizon')::xid8 \(lower) \(upper)
                      ORDER BY stream_id, stream_version) TO STDOUT WITH (FORMAT binary)
                """
        ) { chunk in
            guard let tuple = try copy.tuple(in: chunk) else { return }
            try onTuple(tuple)
        }
    }
}

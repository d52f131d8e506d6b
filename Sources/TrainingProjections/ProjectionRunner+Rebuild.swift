import EventLog
import EventLogPostgres
import Foundation
import Postgres
import Synchronization
import TrainingDomain
import TrainingRecords

extension ProjectionRunner {
    static let rebuildCheckpoint = "training:rebuild"

    /// An index of a live read-model table, re-created on the fresh table under a `_rebuild`
    /// name and given its own name back at the swap.
    struct IndexDefinition: Sendable {
        var table: String
        var name: String
        /// The constraint behind the index (a primary key), if any.
        var isConstraint: Bool
        var create: String
    }

    /// Refills the read models from the whole log into fresh tables, then swaps them in with
    /// one short transaction, so readers keep answering from the old tables until the swap.
    ///
    /// The log is read in stream order below a horizon fixed at the start: the policy streams
    /// first (every row is judged by the policy in force), then the people, in `workers`
    /// ranges of streams read, folded and loaded in parallel (``RebuildScan``), each person's
    /// file let go once its rows are encoded. Memory is bounded by the largest stream, not by
    /// the log. The fresh tables are filled without indexes; the live tables' indexes and
    /// constraints are then built on them and statistics gathered. Events appended meanwhile
    /// are applied to the fresh tables, then once more inside the swap.
    ///
    /// - Parameters:
    ///   - batch: people whose rows are loaded by one COPY.
    ///   - workers: ranges of streams read in parallel, each on two connections of its own.
    ///   - progress: sees the running number of events read.
    /// - Returns: the number of events read.
    @discardableResult
    public func rebuild(
        batch: Int = 4096, workers: Int = ProjectionRunner.defaultRebuildWorkers, progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> Int {
        try await rebuild(batch: batch, workers: workers, progress: progress, probe: RebuildProbe(), afterScan: {})
    }

    /// One worker per core, at most 8.
    public static var defaultRebuildWorkers: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// `afterScan` runs between the scan and the swap (tests append there to exercise the
    /// swap's catch-up); `probe` sees the files each worker holds.
    func rebuild(
        batch: Int, workers: Int = 1, progress: @escaping @Sendable (Int) -> Void, probe: RebuildProbe = RebuildProbe(),
        afterScan: () async throws -> Void
    ) async throws -> Int {
        let today = clock.today
        let (indexes, scan, splits, policies) = try await client.withConnection { connection in
            var indexes: [IndexDefinition] = []
            for table in Self.tables {
                try connection.simpleQuery(
                    """
                    DROP TABLE IF EXISTS muster.\(table)_rebuild;
                    CREATE TABLE muster.\(table)_rebuild (LIKE muster.\(table) INCLUDING ALL EXCLUDING INDEXES);
                    \(Self.copyStatisticsTargets(of: table))
                    """)
                indexes += try Self.indexDefinitions(of: table, on: connection)
            }
            try connection.query("DELETE FROM muster.projection_checkpoints WHERE projection = \(Self.rebuildCheckpoint)")
            let scan = try PostgresEventStore.scanHorizon(on: connection)
            // The policy book before any person: every row is judged by the policy in force.
            var policies = Cache(checkpoint: scan.last, complete: false)
            try Self.loadPolicyStreams(upTo: scan.last, into: &policies, on: connection)
            let splits = try PostgresEventStore.streamSplits(parts: max(1, workers), on: connection)
            return (indexes, scan, splits, policies)
        }
        let job = RebuildScan.Job(
            horizon: scan.horizon, policy: policies.policies.policy(on: today), batch: max(1, batch), probe: probe,
            progress: RebuildScan.Progress(report: progress))
        let people = try await RebuildScan.run(ranges: RebuildScan.ranges(splits), configuration: client.configuration, job: job)
        let scanned = job.progress.finish()
        try await Self.finishFreshTables(indexes, workers: workers, configuration: client.configuration)
        try await client.withConnection { connection in
            _ = try connection.query(
                """
                INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position, policy_in_force)
                VALUES (\(Self.rebuildCheckpoint), \(PostgresTransactionID(scan.last.transaction)), \(scan.last.global),
                        \(policies.policies.identity(on: today)))
                """)
        }
        // Events appended during the scan, applied to the fresh tables before the swap, so the
        // swap itself has little left to do. The unreadable entries of every stream touched
        // since the scan are taken from its refolded file.
        let state = CatchUp(cache: policies)
        let early = try await client.withConnection { connection in
            try Self.catchUp(connection, today: today, state: state, inTransaction: false)
        }
        try await afterScan()
        let (late, built) = try await client.withConnection { connection in
            try connection.transaction { connection in
                // Hold the live checkpoint so no live batch runs during the swap; catch up first.
                try connection.query(
                    """
                    INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position)
                    VALUES (\(Self.projection), '0'::xid8, 0) ON CONFLICT (projection) DO NOTHING
                    """)
                try connection.query("SELECT 1 FROM muster.projection_checkpoints WHERE projection = \(Self.projection) FOR UPDATE")
                let late = try Self.catchUp(connection, today: today, state: state, inTransaction: true)
                for table in Self.tables {
                    try connection.simpleQuery(
                        """
                        DROP TABLE muster.\(table);
                        ALTER TABLE muster.\(table)_rebuild RENAME TO \(table);
                        """)
                }
                for index in indexes {
                    try connection.simpleQuery(
                        index.isConstraint
                            ? "ALTER TABLE muster.\(index.table) RENAME CONSTRAINT \(index.name)_rebuild TO \(index.name)"
                            : "ALTER INDEX muster.\(index.name)_rebuild RENAME TO \(index.name)")
                }
                // The trainees per stage, counted afresh from the new table, which keeps them counted.
                try connection.simpleQuery("SELECT muster.count_stages()")
                // The quarantine as the rebuilt files have it (first-seen times kept).
                let unreadable =
                    people.quarantine.filter { state.touched[$0.stream] == nil } + state.touched.values.flatMap { $0 }
                    + state.cache.unreadablePolicies
                try connection.query(
                    "DELETE FROM muster.projection_quarantine WHERE NOT event_id::text = ANY(\(PostgresTextArray(unreadable.map(\.entry.rawValue))))")
                try Self.insertQuarantine(unreadable, suffix: "", on: connection)
                try connection.query(
                    """
                    UPDATE muster.projection_checkpoints AS live
                    SET xact_id = built.xact_id, global_position = built.global_position, policy_in_force = built.policy_in_force,
                        updated_at = now()
                    FROM muster.projection_checkpoints AS built
                    WHERE live.projection = \(Self.projection) AND built.projection = \(Self.rebuildCheckpoint)
                    """)
                try connection.query("DELETE FROM muster.projection_checkpoints WHERE projection = \(Self.rebuildCheckpoint)")
                return (late, state.cache)
            }
        }
        // The runner goes on from the swapped-in checkpoint with the policy book read; it holds
        // no file (live batches load a stream the first time they meet it).
        var next = built
        next.files.removeAll()
        install(next)
        return scanned + early + late
    }

    /// Builds the live tables' indexes on the fresh tables, then vacuums and analyzes each, on
    /// `workers` connections at once, the largest tables' work first. Fresh tables have no
    /// planner statistics and no visibility map: both are made before readers see the tables
    /// (the boards choose their rows from index entries alone, which needs pages marked
    /// all-visible). Index builds sort in `maintenance_work_mem`, raised for these sessions
    /// only, so a large table's index does not spill its sort to disk.
    static func finishFreshTables(_ indexes: [IndexDefinition], workers: Int, configuration: PostgresConfiguration) async throws {
        // The agency stamp, the policies and the grants, now the scan's rows are in: they name
        // their agency, read with the log, and no other role could see or write the tables yet.
        let client = try await PostgresClient.connect(configuration)
        do {
            try await client.withConnection { connection in
                for table in tables { try connection.simpleQuery("SELECT muster.secure_read_model('muster.\(table)_rebuild')") }
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        let sizes = try await sizesOfFreshTables(configuration)
        let bySize = { (table: String) in -(sizes[table] ?? 0) }
        let builds = indexes.sorted { (bySize($0.table), $0.name) < (bySize($1.table), $1.name) }.map(\.create)
        let vacuums = tables.sorted { (bySize($0), $0) < (bySize($1), $1) }.map { "VACUUM (ANALYZE) muster.\($0)_rebuild" }
        // Every index before any vacuum: a table's vacuum waits for its index builds anyway.
        for statements in [builds, vacuums] {
            try await runInParallel(statements, workers: workers, configuration: configuration)
        }
    }

    /// Each fresh table's size in bytes.
    static func sizesOfFreshTables(_ configuration: PostgresConfiguration) async throws -> [String: Int] {
        let client = try await PostgresClient.connect(configuration)
        do {
            let sizes = try await client.withConnection { connection in
                try connection.query(
                    """
                    SELECT name, pg_relation_size(('muster.' || name || '_rebuild')::regclass)::bigint
                    FROM unnest(\(PostgresTextArray(tables))) AS name
                    """
                ).decodeAll(as: String.self, Int.self)
            }
            await client.close()
            return Dictionary(sizes, uniquingKeysWith: max)
        } catch {
            await client.close()
            throw error
        }
    }

    /// Runs `statements` in order of the list, each on whichever of `workers` new connections
    /// is free; the first failure stops the others' next statement and is thrown.
    static func runInParallel(_ statements: [String], workers: Int, configuration: PostgresConfiguration) async throws {
        final class Queue: Sendable {
            let statements: Mutex<ArraySlice<String>>
            init(_ statements: [String]) { self.statements = Mutex(statements[...]) }
            func next() -> String? { statements.withLock { $0.popFirst() } }
            func stop() { statements.withLock { $0.removeAll() } }
        }
        let queue = Queue(statements)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, min(workers, statements.count)) {
                group.addTask {
                    let client = try await PostgresClient.connect(configuration)
                    do {
                        try await client.withConnection { connection in
                            try connection.simpleQuery("SET maintenance_work_mem = '256MB'")
                            while let statement = queue.next() { try connection.simpleQuery(statement) }
                        }
                    } catch {
                        queue.stop()
                        await client.close()
                        throw error
                    }
                    await client.close()
                }
            }
            try await group.waitForAll()
        }
    }

    /// Applies what was appended after the fresh tables' checkpoint to them, batch by batch
    /// (each batch its own transaction unless `inTransaction`), and notes the unreadable
    /// entries of every stream it touched. Each batch starts with no file cached, so it folds
    /// each stream it meets from the log (the fresh tables hold rows, not files).
    static func catchUp(_ connection: PostgresConnection, today: Day, state: CatchUp, inTransaction: Bool) throws -> Int {
        func one(_ connection: PostgresConnection) throws -> Int {
            try batch(
                connection, checkpointName: rebuildCheckpoint, suffix: "_rebuild", limit: 5000, today: today, cache: &state.cache,
                failBeforeCommit: false
            ).applied
        }
        var total = 0
        while true {
            state.cache.files.removeAll()
            let applied = inTransaction ? try one(connection) : try connection.transaction { try one($0) }
            for (stream, file) in state.cache.files { state.touched[stream.rawValue] = quarantineRows(CollectionOfOne((stream, file))) }
            total += applied
            if applied == 0 { return total }
        }
    }

    /// SQL that gives the fresh table each column's statistics target of the live one (`LIKE ...
    /// INCLUDING ALL` leaves them at the default; `schema/0013` turns statistics off for columns
    /// no query filters on, which a rebuild must not turn back on). `table` is one of ``tables``.
    static func copyStatisticsTargets(of table: String) -> String {
        """
        DO $$
        DECLARE c record;
        BEGIN
            FOR c IN SELECT attname, attstattarget FROM pg_catalog.pg_attribute
                     WHERE attrelid = 'muster.\(table)'::regclass AND attnum > 0 AND NOT attisdropped AND attstattarget >= 0
            LOOP
                EXECUTE format('ALTER TABLE muster.%I ALTER COLUMN %I SET STATISTICS %s', '\(table)_rebuild', c.attname, c.attstattarget);
            END LOOP;
        END
        $$;
        """
    }

    /// A rebuild's catch-up, carried into the connection's thread and back: the cache (policy
    /// book, checkpoint) and the unreadable entries of each stream touched since the scan.
    final class CatchUp: @unchecked Sendable {
        var cache: Cache
        var touched: [String: [QuarantineRow]] = [:]
        init(cache: Cache) { self.cache = cache }
    }

    /// Every policy event up to `position`, in log order, folded into the cache's policy book
    /// (unreadable ones noted for the quarantine).
    static func loadPolicyStreams(upTo position: LogPosition, into cache: inout Cache, on connection: PostgresConnection) throws {
        guard position != .start else { return }
        var after = LogPosition.start
        while true {
            let page = try PostgresEventStore.readCategory(Streams.Category.policy.rawValue, after: after, limit: 1000, on: connection)
            for event in page where event.position <= position { cache.apply(EntryMapping.entry(event), to: event.stream) }
            guard let last = page.last, page.count == 1000, last.position < position else { return }
            after = last.position
        }
    }

    /// The live table's indexes and key constraints, as statements that build them on the
    /// fresh table under `_rebuild` names.
    static func indexDefinitions(of table: String, on connection: PostgresConnection) throws -> [IndexDefinition] {
        let rows = try connection.query(
            """
            SELECT index.relname, pg_get_indexdef(pg_index.indexrelid), con.conname, pg_get_constraintdef(con.oid)
            FROM pg_index
            JOIN pg_class AS index ON index.oid = pg_index.indexrelid
            LEFT JOIN pg_constraint AS con ON con.conindid = pg_index.indexrelid AND con.conrelid = pg_index.indrelid
            WHERE pg_index.indrelid = \("muster." + table)::regclass
            ORDER BY index.relname
            """)
        return try (0..<rows.count).map { row in
            let name = try rows.decode(String.self, row: row, column: 0)
            if let constraint = try rows.decodeIfPresent(String.self, row: row, column: 2) {
                let definition = try rows.decode(String.self, row: row, column: 3)
                return IndexDefinition(
                    table: table, name: constraint, isConstraint: true,
                    create: "ALTER TABLE muster.\(table)_rebuild ADD CONSTRAINT \(constraint)_rebuild \(definition)")
            }
            let definition = try rows.decode(String.self, row: row, column: 1)
            let live = " \(name) ON muster.\(table) "
            guard definition.contains(live) else {
                throw PostgresError(
                    code: .unexpectedResult, message: "cannot re-create index \(name) for a rebuild: unexpected definition \(definition)")
            }
            return IndexDefinition(
                table: table, name: name, isConstraint: false,
                create: definition.replacingOccurrences(of: live, with: " \(name)_rebuild ON muster.\(table)_rebuild "))
        }
    }
}

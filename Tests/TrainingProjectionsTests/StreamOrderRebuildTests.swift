import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Synchronization
import Testing
import TrainingDomain
import TrainingRecords
import TrainingServices

@testable import TrainingProjections

/// The rebuild reads the log in stream order, in parallel ranges, one person at a time: its
/// tables equal the live runner's row for row, and what it holds is bounded by how it is built
/// (one file per worker, a few batches of rows), whatever the size of the log.
@Suite struct StreamOrderRebuildTests {
    /// Every read-model row (all four tables) and the quarantine, in a deterministic order.
    static func readModels(_ client: PostgresClient) async throws -> String {
        try await client.rows(
            """
            SELECT coalesce((SELECT string_agg(t::text, E'\\n' ORDER BY t.trainee_id) FROM muster.trainee_status t), '') || E'\\n--\\n' ||
                   coalesce((SELECT string_agg(c::text, E'\\n' ORDER BY c.person_stream, c.course_type) FROM muster.coursework_currency c), '')
                   || E'\\n--\\n' ||
                   coalesce((SELECT string_agg(f::text, E'\\n' ORDER BY f.person_stream) FROM muster.fto_qualification f), '') || E'\\n--\\n' ||
                   coalesce((SELECT string_agg(g::text, E'\\n' ORDER BY g.trainee_id, g.phase, g.category) FROM muster.category_trends g), '')
                   || E'\\n--\\n' ||
                   coalesce((SELECT string_agg(q.stream_id || '/' || q.stream_version || ' ' || q.event_id || ' ' || q.reason, E'\\n'
                                               ORDER BY q.stream_id, q.stream_version) FROM muster.projection_quarantine q), '')
                   || E'\\n--\\n' ||
                   coalesce((SELECT string_agg(n.agency || '/' || n.stage || ' ' || n.trainees, E'\\n' ORDER BY n.agency, n.stage)
                             FROM muster.stage_counts n WHERE n.trainees > 0), '')
            """
        ) { try $0.decode(String.self, row: $1, column: 0) }[0]
    }

    /// What the probe saw: files held per worker (now and at most), files let go, queue depth.
    final class Watch: Sendable {
        struct State {
            var held: [Int: Int] = [:]
            var mostHeld: [Int: Int] = [:]
            var released: [String: Int] = [:]
            var deepestQueue = 0
        }
        let state = Mutex(State())

        var probe: RebuildProbe {
            RebuildProbe(
                file: { worker, stream, held in
                    self.state.withLock { state in
                        state.held[worker, default: 0] += held ? 1 : -1
                        state.mostHeld[worker] = max(state.mostHeld[worker] ?? 0, state.held[worker]!)
                        if !held { state.released[stream, default: 0] += 1 }
                    }
                },
                queued: { _, depth in self.state.withLock { $0.deepestQueue = max($0.deepestQueue, depth) } })
        }
    }

    @Test(
        "a department of 4,000 people with an adopted policy and an unreadable entry: the stream-order rebuild equals the live runner, holding one file per worker"
    )
    func equalsLiveAndBounded() async throws {
        try await TestDatabase.with { database in
            let today = EntryMapping.day(Date())
            let seeded = try await MusterDatabase(url: database.configuration.connectionString, clock: .fixed(today)).syntheticSeeder()
                .seed(agencies: 4, officers: 4_000)
            #expect(seeded > 30_000)
            let store = try await database.store()
            // A stricter policy in force since a month ago: every row is judged by it.
            var stricter = TrainingPolicy.pasadenaDefault
            stricter.name = "Stricter program"
            stricter.fieldTraining.soloClearanceRecentDORs = 12
            try await TrainingService(store: store, agency: AgencyID("pasadena")).adopt(
                stricter, effective: today.adding(days: -30), by: Actor(id: OfficerID("chief.test"), role: .chief))
            let client = try await database.client()
            // An entry nobody can read, written behind the application's back (by a session
            // acting for the recruit's agency).
            try await client.execute("SELECT set_config('muster.agency', 'agency-1', false)")
            try await client.execute(
                """
                INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
                SELECT stream_id, max(stream_version) + 1, gen_random_uuid(), 'field-training.teleport.v9', 1, '{}',
                       '{"actor_id":"someone","actor_role":"training_sergeant"}', now()
                FROM muster.events WHERE stream_id = 'trainee-a1-o20' GROUP BY stream_id
                """)
            // Statistics on stream_id give the rebuild its split points.
            try await client.execute("ANALYZE muster.events")

            let live = ProjectionRunner(client: client)
            try await ProjectionRunnerTests.caughtUp(live, store)
            let liveRows = try await Self.readModels(client)
            #expect(liveRows.contains("Recruit a1-o20"))
            // The counts the database kept as the live runner wrote are the rows' own counts.
            let counted = try await client.rows(
                """
                SELECT (SELECT string_agg(agency || '/' || stage || ' ' || n, ',' ORDER BY agency, stage)
                        FROM (SELECT agency, stage, count(*) AS n FROM muster.trainee_status GROUP BY 1, 2) AS c),
                       (SELECT string_agg(agency || '/' || stage || ' ' || trainees, ',' ORDER BY agency, stage)
                        FROM muster.stage_counts WHERE trainees > 0)
                """
            ) { try ($0.decode(String.self, row: $1, column: 0), $0.decode(String.self, row: $1, column: 1)) }[0]
            #expect(counted.0 == counted.1)
            #expect(counted.0.contains("field_training"))
            #expect(liveRows.contains("trainee-a1-o20/"), "the unreadable entry is quarantined")
            let tables = liveRows.components(separatedBy: "\n--\n")
            #expect(tables.count == 6 && tables.allSatisfy { !$0.isEmpty }, "every read-model table has rows to compare")

            let people = try await client.rows(
                "SELECT count(DISTINCT stream_id) FROM muster.events WHERE stream_id LIKE 'trainee-%' OR stream_id LIKE 'officer-%'"
            ) { try $0.decode(Int.self, row: $1, column: 0) }[0]
            let watch = Watch()
            let rebuilder = ProjectionRunner(client: try await database.client())
            let read = try await rebuilder.rebuild(batch: 50, workers: 3, progress: { _ in }, probe: watch.probe, afterScan: {})
            #expect(read >= seeded)
            let rebuilt = try await Self.readModels(client)
            #expect(rebuilt == liveRows, "\(Set(liveRows.split(separator: "\n")).symmetricDifference(rebuilt.split(separator: "\n")).prefix(10))")

            let seen = watch.state.withLock { $0 }
            // Three workers each folded a share of the people, each person exactly once…
            #expect(seen.mostHeld.keys.sorted() == [0, 1, 2], "\(seen.mostHeld)")
            #expect(seen.released.count == people && seen.released.values.allSatisfy { $0 == 1 })
            // …holding one file at a time (the old rebuild held all \(people) until the swap),
            // with at most two batches of rows waiting for each loader.
            #expect(seen.mostHeld.values.allSatisfy { $0 == 1 }, "\(seen.mostHeld)")
            #expect(seen.held.values.allSatisfy { $0 == 0 })
            #expect((1...RebuildScan.queuedBatches).contains(seen.deepestQueue))

            // The live runner carries on from the swapped-in checkpoint.
            try await ProjectionRunnerTests.caughtUp(live, store)
            #expect(try await ReadModelQueries(client: client).projectionStatus().behind == 0)
            #expect(try await Self.readModels(client) == liveRows)
            await store.close()
            await client.close()
            await rebuilder.close()
        }
    }

    @Test("ranges split at statistics' bounds cover every stream once; no statistics, one range")
    func ranges() async throws {
        #expect(RebuildScan.ranges([]).map { [$0.from, $0.to] } == [[nil, nil]])
        #expect(RebuildScan.ranges(["m", "t"]).map { [$0.from, $0.to] } == [[nil, "m"], ["m", "t"], ["t", nil]])
        try await TestDatabase.with { database in
            let client = try await database.client()
            let splits = try await client.withConnection { try PostgresEventStore.streamSplits(parts: 4, on: $0) }
            #expect(splits.isEmpty)
            await client.close()
        }
    }
}

import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Backfills from paper against real PostgreSQL, each test on its own databases.
@Suite struct BackfillTests {
    static let agency = GeneratedDepartment.agency
    static let clock = WallClock.fixed(GeneratedDepartment.today)

    static func importer(_ store: PostgresEventStore) -> BackfillImporter {
        BackfillImporter(store: store, agency: agency, clock: clock)
    }

    static func plan(_ files: [String: String]) throws -> BackfillPlan {
        try BackfillPlan.make(files.map { (name: $0.key, data: Data($0.value.utf8)) }, agency: agency)
    }

    static func eventCount(_ database: TestDatabase) async throws -> Int {
        let client = try await database.client()
        let count = try await client.rows("SELECT count(*) FROM muster.events") { rows, row in try rows.decode(Int.self, row: row, column: 0) }
        await client.close()
        return count[0]
    }

    /// Runs `body` with a store on a fresh database, closing the store after.
    static func withStore<T: Sendable>(_ body: (TestDatabase, PostgresEventStore) async throws -> T) async throws -> T {
        try await TestDatabase.with { database in
            let store = try await database.store()
            do {
                let value = try await body(database, store)
                await store.close()
                return value
            } catch {
                await store.close()
                throw error
            }
        }
    }

    // MARK: - The department, live and from paper

    /// What two logs must share: each stream's entries in order, with entry ids replaced by
    /// their place in the log (so references between entries compare), without recorded
    /// times, sources, documents or command ids.
    struct Comparable: Equatable, CustomStringConvertible {
        var type: String
        var schemaVersion: Int
        var data: String
        var occurredAt: Date
        var actor: String
        var role: String
        var description: String { "\(occurredAt) \(type) by \(actor) (\(role)): \(data)" }
    }

    /// The streams' events with every entry id replaced by its place (the nth event, counting
    /// streams by name and versions in order).
    static func normalized(_ store: any EventStore, _ streams: [StreamID]) async throws -> [StreamID: [RecordedEvent]] {
        var events: [StreamID: [RecordedEvent]] = [:]
        var places: [String: UUID] = [:]
        for stream in streams.sorted(by: { $0.rawValue < $1.rawValue }) {
            events[stream] = try await store.readStream(stream)
            for event in events[stream]! {
                places[event.id.uuidString.lowercased()] = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012x", places.count + 1))!
            }
        }
        let uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/
        return events.mapValues { stream in
            stream.map { event in
                let data = event.data.replacing(uuid) { match in places[String(match.output)]?.uuidString.lowercased() ?? String(match.output) }
                return RecordedEvent(
                    stream: event.stream, version: event.version, position: .start, id: places[event.id.uuidString.lowercased()]!, type: event.type,
                    schemaVersion: event.schemaVersion, data: data,
                    metadata: EventMetadata(actorID: event.metadata.actorID, actorRole: event.metadata.actorRole), occurredAt: event.occurredAt,
                    recordedAt: Date(timeIntervalSince1970: 0))
            }
        }
    }

    static func comparable(_ events: [RecordedEvent]) -> [Comparable] {
        events.map {
            Comparable(
                type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data, occurredAt: $0.occurredAt, actor: $0.metadata.actorID,
                role: $0.metadata.actorRole)
        }
    }

    @Test("a CSV backfill of a generated department records what the live service recorded, but for recorded times and source")
    func backfillEqualsLive() async throws {
        let department = GeneratedDepartment(seed: 20_261_115)
        let streams = department.streams
        let live = try await Self.withStore { _, store in
            try await department.recordLive(store)
            return try await Self.normalized(store, streams)
        }
        let (imported, report, sources) = try await Self.withStore { _, store in
            let report = try await Self.importer(store).run(try Self.plan(department.csvFiles()), dryRun: false)
            var sources = Set<String>()
            for stream in streams {
                for event in try await store.readStream(stream) {
                    sources.insert("\(event.metadata.source ?? "-") \(event.metadata.document == nil ? "no document" : "document")")
                }
            }
            return (try await Self.normalized(store, streams), report, sources)
        }
        #expect(sources == ["import:paper document"])
        #expect(report.entries == live.values.reduce(0) { $0 + $1.count })
        #expect(report.overrides.map(\.check) == [PlausibilityCheck.passWithFailingScore.rawValue])
        #expect(live.values.reduce(0) { $0 + $1.count } > 300)
        for stream in streams {
            let (a, b) = (Self.comparable(live[stream] ?? []), Self.comparable(imported[stream] ?? []))
            if let first = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("\(stream) differs at version \(first.offset + 1):\n live:     \(first.element.0)\n imported: \(first.element.1)")
            }
            #expect(a.count == b.count, "\(stream): \(a.count) events live, \(b.count) imported")
            guard Streams.personnelFiles.contains(where: { $0 == Streams.category(of: stream) }) else { continue }
            let liveFile = TrainingDecider.fold(EntryMapping.entries(live[stream] ?? []))
            let importedFile = TrainingDecider.fold(EntryMapping.entries(imported[stream] ?? []))
            let same = liveFile == importedFile
            #expect(same, "\(stream): the folded personnel files differ")
        }
        // The paths the department was generated to walk.
        let files = Dictionary(
            uniqueKeysWithValues: streams.compactMap { stream in
                Streams.trainee(of: stream).map { ($0.rawValue, TrainingDecider.fold(EntryMapping.entries(imported[stream]!))) }
            })
        #expect(files["r-01"]?.stage == .permanent)
        #expect(files["r-02"]?.probation?.extensions.count == 1)
        #expect(files["r-02"]?.fieldTraining?.phases.contains { $0.extensions == 1 } == true)
        #expect(files["r-02"]?.academy?.attempts.values.contains { $0.count == 2 } == true)
        #expect(files["r-03"]?.academy?.recycles == 1)
        #expect(files["r-03"]?.stage == .fieldTraining)
        #expect(files["r-04"]?.stage == .separated)
        #expect(files["r-05"]?.amended.count == 2)
        #expect(files["r-05"]?.stage == .probation)
        #expect(files["r-06"]?.stage == .academy)
    }

    // MARK: - All or nothing

    @Test("a bad row in the last file leaves the log untouched; the fixed folder then imports")
    func badRowInLastFileWritesNothing() async throws {
        var files = GeneratedDepartment(seed: 3).csvFiles()
        let good = files
        let corrections = try #require(files["corrections.csv"])
        let header = corrections.split(separator: "\r\n").first!.split(separator: ",").map(String.init)
        let row = header.map { column in
            [
                "trainee": "r-05", "action": "correct", "entry": "r-05-first-test", "date": "2026-11-01", "reason": "Transcript",
                "changes": "scor=91",
                "signed_by": "sgt.okafor", "document": "Memo 26-2",
            ][column] ?? ""
        }
        files["corrections.csv"] = corrections + row.joined(separator: ",") + "\r\n"
        let line = corrections.split(separator: "\r\n").count + 1
        try await Self.withStore { database, store in
            let error = await #expect(throws: BackfillError.self) { try await Self.importer(store).run(try Self.plan(files), dryRun: false) }
            #expect(error?.file == "corrections.csv")
            #expect(error?.line == line)
            #expect(error?.field == "changes")
            #expect(error?.description.contains("scor is not a field of academy.test-recorded.v1") == true)
            #expect(error?.description.hasSuffix("; fix the row and run the import again") == true)
            #expect(try await Self.eventCount(database) == 0)
            let report = try await Self.importer(store).run(try Self.plan(good), dryRun: false)
            #expect(try await Self.eventCount(database) == report.entries)
        }
    }

    @Test("a write by someone else to a stream the import touches, between checking and committing, aborts the commit cleanly")
    func concurrentWriteAbortsTheCommit() async throws {
        let department = GeneratedDepartment(seed: 4)
        try await Self.withStore { database, store in
            let importer = Self.importer(store)
            let staged = try await importer.stage(try Self.plan(department.csvFiles()))
            // Meanwhile, at the front desk: a chief registers themself on the empty roster.
            let other = try await database.store()
            let service = TrainingService(store: other, agency: Self.agency, clock: Self.clock)
            try await service.register(OfficerID("chief.lee"), name: "Chief Lee", role: .chief, by: nil)
            await other.close()
            let error = await #expect(throws: BackfillError.self) { try await importer.commit(staged) }
            #expect(error?.description.contains("users-pasadena changed while the import was being checked") == true)
            #expect(error?.description.contains("nothing was written") == true)
            #expect(try await Self.eventCount(database) == 1)
        }
    }

    // MARK: - Dry run and re-runs

    @Test("a dry run writes nothing and reports what the import then records; running an import again records nothing twice")
    func dryRunAndRerun() async throws {
        let department = GeneratedDepartment(seed: 5)
        let files = department.csvFiles()
        try await Self.withStore { database, store in
            let plan = try Self.plan(files)
            let dry = try await Self.importer(store).run(plan, dryRun: true)
            #expect(dry.dryRun)
            #expect(try await Self.eventCount(database) == 0)
            #expect(dry.rows == files.values.reduce(0) { $0 + $1.split(separator: "\r\n").count - 1 })
            #expect(dry.files.map(\.file) == BackfillPlan.fileNames.filter { files[$0] != nil })
            #expect(dry.users.count == 3 + 5 + GeneratedDepartment.recruits.count)
            #expect(dry.people.count == 5 + GeneratedDepartment.recruits.count)
            #expect(dry.overrides.count == 1)

            let done = try await Self.importer(store).run(plan, dryRun: false)
            #expect(!done.dryRun)
            #expect(try await Self.eventCount(database) == dry.entries)
            #expect(done.entries == dry.entries)
            #expect(done.files.map(\.entries) == dry.files.map(\.entries))
            let client = try await database.client()
            let types = try await client.rows("SELECT event_type, count(*) FROM muster.events GROUP BY event_type") { rows, row in
                (try rows.decode(String.self, row: row, column: 0), try rows.decode(Int.self, row: row, column: 1))
            }
            await client.close()
            #expect(Dictionary(uniqueKeysWithValues: types) == Dictionary(uniqueKeysWithValues: dry.entryTypes.map { ($0.type, $0.entries) }))

            // The reply was lost; the clerk runs it again: every row finds what it recorded.
            let again = try await Self.importer(store).run(try Self.plan(files), dryRun: false)
            #expect(again.entries == 0)
            #expect(again.alreadyRecorded == dry.entries)
            #expect(try await Self.eventCount(database) == dry.entries)
        }
    }
}

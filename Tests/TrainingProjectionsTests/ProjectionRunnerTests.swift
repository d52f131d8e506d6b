import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing
import TrainingDomain
import TrainingRecords
import TrainingServices

@testable import TrainingProjections

@Suite struct ProjectionRunnerTests {
    static let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    static let fto = Actor(id: OfficerID("fto.ramos"), role: .fto)
    static let instructor = Actor(id: OfficerID("inst.vance"), role: .academyInstructor)

    static func day(_ offset: Int) -> Day { EntryMapping.day(Date()).adding(days: offset) }

    /// Three recruits: one in field training with a DOR, one in the academy, one separated;
    /// plus an FTO whose use-of-force course lapsed long ago.
    static func record(_ service: TrainingService) async throws {
        func hire(_ id: String, _ name: String, _ daysAgo: Int) async throws {
            try await service.record(
                .hireRecruit(trainee: TraineeID(id), name: name, badge: "B-\(id)", hireDate: day(-daysAgo), agency: AgencyID("pasadena")),
                on: .trainee(TraineeID(id)), by: sergeant)
        }
        try await hire("t-1", "Dana Whitfield", 260)
        try await hire("t-2", "Sam Ortiz", 60)
        try await hire("t-3", "Lee Park", 90)
        let t1 = FileReference.trainee(TraineeID("t-1"))
        try await service.record(.enrollInAcademy(classNumber: "OC-1", academy: "OC", start: day(-255), source: nil), on: t1, by: sergeant)
        for test in TrainingPolicy.pasadenaDefault.academy.requiredTests {
            try await service.record(
                .recordAcademyTest(test: test, passed: true, score: 90, instructor: "V", on: day(-100), source: nil), on: t1, by: instructor)
        }
        try await service.record(.graduateAcademy(on: day(-75)), on: t1, by: sergeant)
        try await service.record(.startFieldTraining(on: day(-70)), on: t1, by: sergeant)
        try await service.record(.awardBasicCertificate(certificate: "BC-7", on: day(-2000)), on: .officer(fto.id), by: sergeant)
        try await service.record(.startPatrolAssignment(on: day(-1990)), on: .officer(fto.id), by: sergeant)
        try await service.record(.qualifyFTO(courseDate: day(-900)), on: .officer(fto.id), by: sergeant)
        try await service.record(
            .recordCourse(
                courseType: "use_of_force", title: "UoF", hours: 4, provider: "PPD", instructor: nil, completedOn: day(-400),
                certificateReference: nil), on: .officer(fto.id), by: sergeant)
        try await service.record(.assignFTO(fto: fto.id, phase: 1, on: day(-70)), on: t1, by: sergeant)
        try await service.record(
            .fileDailyObservation(
                fto: fto.id, shiftDate: day(-2),
                ratings: Dictionary(uniqueKeysWithValues: TrainingPolicy.pasadenaDefault.fieldTraining.categories.map { ($0, Rating.score(4)) }),
                narrative: ""), on: t1, by: fto)
        try await service.record(
            .recordCourse(
                courseType: "use_of_force", title: "UoF", hours: 4, provider: "PPD", instructor: nil, completedOn: day(-300),
                certificateReference: nil), on: t1, by: sergeant)
        try await service.record(
            .enrollInAcademy(classNumber: "OC-2", academy: "OC", start: day(-50), source: nil), on: .trainee(TraineeID("t-2")), by: sergeant)
        try await service.record(.separate(kind: .resigned, reason: "Moved away", on: day(-10)), on: .trainee(TraineeID("t-3")), by: sergeant)
    }

    static func tableText(_ client: PostgresClient) async throws -> String {
        try await client.rows(
            """
            SELECT (SELECT string_agg(t::text, E'\\n' ORDER BY t.trainee_id) FROM muster.trainee_status t) || E'\\n--\\n' ||
                   (SELECT string_agg(c::text, E'\\n' ORDER BY c.person_stream, c.course_type) FROM muster.coursework_currency c)
            """
        ) { try $0.decodeIfPresent(String.self, row: $1, column: 0) ?? "" }[0]
    }

    static func caughtUp(_ runner: ProjectionRunner, _ store: PostgresEventStore) async throws {
        // The horizon can lag behind other databases' transactions: run until nothing is behind.
        let queries = ReadModelQueries(client: runner.clientForTests)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            try await runner.runUntilCaughtUp()
            if try await queries.projectionStatus().behind == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the projection did not catch up")
    }

    @Test("rows follow the log; queries answer from them")
    func rowsAndQueries() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            try await Self.record(TrainingService(store: store, agency: AgencyID("pasadena")))
            let client = try await database.client()
            let runner = ProjectionRunner(client: client)
            try await Self.caughtUp(runner, store)
            let queries = ReadModelQueries(client: try await database.client())
            let pipeline = Dictionary(uniqueKeysWithValues: try await queries.pipeline().map { ($0.stage, $0.count) })
            #expect(pipeline == ["field_training": 1, "academy": 1, "separated": 1])
            let expiring = try await queries.expiring(withinDays: 90)
            // The FTO's course (400 days ago, valid 12 months) lapsed about 35 days ago: overdue with no
            // new event, judged by date (34 or 35 days, depending on leap years).
            #expect(expiring.contains { $0.person == "officer-fto.ramos" && $0.item == "use_of_force" && (-35 ... -34).contains($0.daysLeft ?? 0) })
            #expect(expiring.contains { $0.person == "trainee-t-1" && $0.item == "implicit_bias" && $0.status == "never completed" })
            #expect(expiring.contains { $0.person == "trainee-t-1" && $0.item == "use_of_force" && (65...66).contains($0.daysLeft ?? 0) })
            #expect(!expiring.contains { $0.person == "trainee-t-3" })
            let board = try await queries.readiness(withinDays: 365)
            #expect(board.map(\.trainee) == ["t-1"])
            #expect(board.first?.blockers.contains { $0.hasPrefix("checklist") } == true)
            #expect(board.first?.blockers.contains("coursework: implicit bias never completed") == true)
            let status = try await queries.projectionStatus()
            #expect(status.behind == 0)
            // Phase 1 started 70 days ago with a 6-week minimum: its evaluation is 28 days overdue.
            let queue = try await queries.sergeantQueue(withinDays: 7)
            #expect(queue.contains { $0.trainee == "t-1" && $0.item == "phase 1 evaluation" && $0.daysLeft == -28 })
            let workload = try await queries.ftoWorkload()
            #expect(workload.map(\.fto) == ["fto.ramos"])
            #expect(workload.first?.trainees == 1)
            #expect(workload.first?.names == "Dana Whitfield")
            let forecast = try await queries.forecast(openings: 1)
            #expect(forecast.inPipeline == 2)
            #expect(forecast.attrition == 1.0)  // the only recruit decided so far separated
            await store.close()
            await client.close()
        }
    }

    @Test("a batch killed before commit leaves nothing behind, and the retry applies each event once")
    func killedMidBatchResumes() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            try await Self.record(TrainingService(store: store, agency: AgencyID("pasadena")))
            let client = try await database.client()
            // Wait until every event is below the safe horizon, so the batch below has work to fail in.
            let total = try await client.rows("SELECT count(*) FROM muster.events") { try $0.decode(Int.self, row: $1, column: 0) }[0]
            #expect(try await EventStoreContract.readEverything(store, expecting: total).count == total)
            let runner = ProjectionRunner(client: client)
            await #expect(throws: ProjectionRunner.InjectedFailure.self) { _ = try await runner.runFailingBatch(limit: 10_000) }
            #expect(try await Self.tableText(client).isEmpty)
            #expect(try await ReadModelQueries(client: client).projectionStatus().behind == total)
            // Partial progress, then another failure mid-way, then the rest.
            _ = try await runner.runBatch(limit: 5)
            await #expect(throws: ProjectionRunner.InjectedFailure.self) { _ = try await runner.runFailingBatch(limit: 7) }
            try await Self.caughtUp(runner, store)
            let completions = try await client.rows(
                "SELECT completions FROM muster.coursework_currency WHERE person_stream = 'trainee-t-1' AND course_type = 'use_of_force'"
            ) { try $0.decode(Int.self, row: $1, column: 0) }
            #expect(completions == [1])
            let dors = try await client.rows("SELECT dor_count FROM muster.trainee_status WHERE trainee_id = 't-1'") {
                try $0.decode(Int.self, row: $1, column: 0)
            }
            #expect(dors == [1])
            // A fresh runner (a restarted process) agrees with what was built.
            let live = try await Self.tableText(client)
            _ = try await ProjectionRunner(client: try await database.client()).rebuild()
            #expect(try await Self.tableText(client) == live)
            await store.close()
            await client.close()
        }
    }

    @Test("a stream spanning batches, whose hire names another id, keeps one row keyed by its stream")
    func streamSpanningBatches() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let stream = try StreamID(validating: "trainee-x-1")
            let hire = Entry(
                id: EntryID(UUID().uuidString.lowercased()), occurredOn: Self.day(-10), actor: Self.sergeant,
                event: .recruitHired(
                    RecruitHired(
                        trainee: TraineeID("typed-differently"), name: "Pat Doe", badge: "B-1", hireDate: Self.day(-10), agency: AgencyID("pasadena"))
                ))
            _ = try await store.append([try EntryMapping.eventData(hire)], to: stream, expectedVersion: .noStream)
            for offset in 0..<3 {
                let course = Entry(
                    id: EntryID(UUID().uuidString.lowercased()), occurredOn: Self.day(-5), actor: Self.sergeant,
                    event: .courseCompleted(
                        CourseCompleted(
                            courseType: "use_of_force", title: "UoF", hours: 4, provider: "P", instructor: nil, completedOn: Self.day(-5 + offset),
                            certificateReference: nil)))
                _ = try await store.append([try EntryMapping.eventData(course)], to: stream, expectedVersion: .any)
            }
            let client = try await database.client()
            let runner = ProjectionRunner(client: client)
            try await Self.caughtUp(runner, store)
            _ = try await ProjectionRunner(client: try await database.client()).rebuild(batch: 1)
            let ids = try await client.rows("SELECT trainee_id FROM muster.trainee_status") { try $0.decode(String.self, row: $1, column: 0) }
            #expect(ids == ["x-1"])
            await store.close()
            await client.close()
        }
    }

    @Test("a rebuild fills fresh tables equal to the live-built ones, while readers keep answering")
    func rebuildEqualsLive() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let service = TrainingService(store: store, agency: AgencyID("pasadena"))
            try await Self.record(service)
            let client = try await database.client()
            let runner = ProjectionRunner(client: client)
            try await Self.caughtUp(runner, store)
            let live = try await Self.tableText(client)
            #expect(!live.isEmpty)
            let reader = ReadModelQueries(client: try await database.client())
            let readerTask = Task { () -> Int in
                var answers = 0
                for _ in 0..<20 {
                    answers += try await reader.pipeline().isEmpty ? 0 : 1
                    try await Task.sleep(for: .milliseconds(5))
                }
                return answers
            }
            let folded = try await ProjectionRunner(client: try await database.client()).rebuild(batch: 7)
            #expect(folded > 0)
            #expect(try await readerTask.value == 20)
            #expect(try await Self.tableText(client) == live)
            // The live runner carries on after the swap.
            try await service.record(
                .recordCourse(
                    courseType: "implicit_bias", title: "RIPA", hours: 2, provider: "POST", instructor: "Lt. Gray", completedOn: Self.day(-1),
                    certificateReference: nil),
                on: .trainee(TraineeID("t-1")), by: Self.sergeant)
            try await Self.caughtUp(runner, store)
            let bias = try await client.rows(
                "SELECT completions FROM muster.coursework_currency WHERE person_stream = 'trainee-t-1' AND course_type = 'implicit_bias'"
            ) { try $0.decode(Int.self, row: $1, column: 0) }
            #expect(bias == [1])
            await store.close()
            await client.close()
        }
    }

    static func indexNames(_ client: PostgresClient) async throws -> [String] {
        try await client.rows(
            """
            SELECT tablename || ':' || indexname FROM pg_indexes
            WHERE schemaname = 'muster' AND tablename IN ('trainee_status', 'coursework_currency') ORDER BY 1
            """
        ) { try $0.decode(String.self, row: $1, column: 0) }
            + client.rows(
                """
                SELECT conrelid::regclass::text || ':' || conname FROM pg_constraint
                WHERE conrelid IN ('muster.trainee_status'::regclass, 'muster.coursework_currency'::regclass) ORDER BY 1
                """
            ) { try $0.decode(String.self, row: $1, column: 0) }
    }

    @Test("a rebuild copies awkward text exactly, keeps index and constraint names, and catches up with events appended during it")
    func rebuildDetails() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let service = TrainingService(store: store, agency: AgencyID("pasadena"))
            try await Self.record(service)
            // COPY's and text arrays' special characters, appended as stored facts.
            let awkward = "Tab\there, \"quoted\" \\back\\slash\nnew line {brace},comma NULL \\N é"
            let stream = try StreamID(validating: "trainee-odd-1")
            let facts: [TrainingEvent] = [
                .recruitHired(
                    RecruitHired(trainee: TraineeID("odd-1"), name: awkward, badge: "\\N", hireDate: Self.day(-200), agency: AgencyID("pasadena"))),
                .academyEnrolled(AcademyEnrolled(classNumber: "C\t1", academy: "OC", start: Self.day(-190))),
                .academyGraduated(AcademyGraduated(date: Self.day(-80))),
                .fieldTrainingStarted(FieldTrainingStarted(date: Self.day(-70))),
                .ftoAssigned(FTOAssigned(fto: OfficerID(awkward), phase: 1)),
                .ftoAssigned(FTOAssigned(fto: OfficerID(""), phase: 1)),
                .remedialTrainingAssigned(RemedialTrainingAssigned(category: "radio,\"use\"", due: Self.day(5), plan: "p")),
            ]
            let entries = facts.enumerated().map { index, event in
                Entry(id: EntryID(UUID().uuidString.lowercased()), occurredOn: Self.day(-200 + index), actor: Self.sergeant, event: event)
            }
            _ = try await store.append(try entries.map { try EntryMapping.eventData($0) }, to: stream, expectedVersion: .noStream)
            let client = try await database.client()
            let runner = ProjectionRunner(client: client)
            try await Self.caughtUp(runner, store)
            let names = try await Self.indexNames(client)
            #expect(names.contains("trainee_status:trainee_status_board_idx"))
            let odd = try await client.rows("SELECT name, ftos, open_remedial_detail FROM muster.trainee_status WHERE trainee_id = 'odd-1'") {
                [
                    try $0.decode(String.self, row: $1, column: 0), try $0.decode(String.self, row: $1, column: 1),
                    try $0.decode(String.self, row: $1, column: 2),
                ]
            }
            #expect(odd.first?.first == awkward)

            let rebuilder = ProjectionRunner(client: try await database.client())
            let late = Entry(
                id: EntryID(UUID().uuidString.lowercased()), occurredOn: Self.day(-1), actor: Self.sergeant,
                event: .courseCompleted(
                    CourseCompleted(
                        courseType: "implicit_bias", title: "RIPA", hours: 2, provider: "POST", instructor: nil, completedOn: Self.day(-1),
                        certificateReference: nil)))
            _ = try await rebuilder.rebuild(
                batch: 3, progress: { _ in },
                afterScan: {
                    _ = try await store.append([try EntryMapping.eventData(late)], to: stream, expectedVersion: .any)
                    // Readers see an event once no older transaction anywhere in the cluster is open;
                    // wait for that, so the swap's catch-up is what must apply it.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while ContinuousClock.now < deadline {
                        let visible = try await client.rows(
                            """
                            SELECT xact_id < pg_snapshot_xmin(pg_current_snapshot()) FROM muster.events
                            WHERE event_id = \(UUID(uuidString: late.id.rawValue)!)
                            """
                        ) { try $0.decode(Bool.self, row: $1, column: 0) }
                        if visible == [true] { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                })
            // The swap caught up with the late course without the live runner.
            let bias = try await client.rows(
                "SELECT completions FROM muster.coursework_currency WHERE person_stream = 'trainee-odd-1' AND course_type = 'implicit_bias'"
            ) { try $0.decode(Int.self, row: $1, column: 0) }
            #expect(bias == [1])
            #expect(try await Self.indexNames(client) == names)
            let rebuilt = try await client.rows("SELECT name, ftos, open_remedial_detail FROM muster.trainee_status WHERE trainee_id = 'odd-1'") {
                [
                    try $0.decode(String.self, row: $1, column: 0), try $0.decode(String.self, row: $1, column: 1),
                    try $0.decode(String.self, row: $1, column: 2),
                ]
            }
            #expect(rebuilt == odd)
            // And the whole tables equal what the live runner builds from the same log.
            let afterRebuild = try await Self.tableText(client)
            try await client.execute("DELETE FROM muster.projection_checkpoints")
            try await client.execute("DELETE FROM muster.trainee_status")
            try await client.execute("DELETE FROM muster.coursework_currency")
            let fresh = ProjectionRunner(client: try await database.client())
            try await Self.caughtUp(fresh, store)
            #expect(try await Self.tableText(client) == afterRebuild)
            await store.close()
            await client.close()
        }
    }
}

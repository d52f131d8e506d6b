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

/// The boards' answers from the read models, on a real database: the forecast's pipeline and
/// yield, the expiring list, the sergeant's queue, the tracking sheet, and the same output for
/// the same log.
@Suite struct BoardsTests {
    typealias Dept = BoardsDepartment

    /// The database's day (the boards' day), a department on it, and the read models caught up.
    static func with(
        _ body: (BoardsDepartment, ReadModelQueries, ProjectionRunner, PostgresEventStore, TestDatabase) async throws -> Void
    ) async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let client = try await database.client()
            let today = try await client.rows("SELECT current_date") { try $0.decode(Day.self, row: $1, column: 0) }[0]
            let runner = ProjectionRunner(client: client, clock: .fixed(today))
            let queries = ReadModelQueries(client: try await database.client())
            try await body(BoardsDepartment(store: store, today: today), queries, runner, store, database)
            await store.close()
            await client.close()
        }
    }

    /// Everyone on the way to solo patrol, one released and one separated.
    static func pipeline(_ dept: BoardsDepartment) async throws {
        try await dept.qualifyTrainingStaff()
        try await dept.hire("t-hire", name: "Hal Ng", daysAgo: 10)
        try await dept.hire("t-acad", name: "Ada Moss", daysAgo: 60)
        try await dept.enroll("t-acad", daysAgo: 50)
        try await dept.hire("t-grad", name: "Gus Reyes", daysAgo: 220)
        try await dept.enroll("t-grad", daysAgo: 213)
        try await dept.graduate("t-grad", daysAgo: 20)
        try await dept.inFieldTraining("t-ft", name: "Fay Ortiz", daysAgo: 50)
        try await dept.releasedToSolo("t-solo", name: "Sol Park", daysAgo: 280)
        try await dept.hire("t-gone", name: "Gil Todd", daysAgo: 90)
        try await dept.enroll("t-gone", daysAgo: 80)
        try await dept.record(.separate(kind: .resigned, reason: "Moved away", on: dept.day(-30)), "t-gone")
    }

    @Test("the forecast counts hires not yet enrolled and graduates waiting, fills openings in expected-release order and sizes hires in integers")
    func forecast() async throws {
        try await Self.with { dept, queries, runner, store, database in
            try await Self.pipeline(dept)
            try await ProjectionRunnerTests.caughtUp(runner, store)
            let forecast = try await queries.forecast(openings: 3, by: dept.day(365))
            #expect(forecast.today == dept.today)
            #expect(forecast.inPipeline == 4)
            #expect(forecast.pipeline.map(\.recruits) == [1, 1, 1, 1])
            // One released, one separated from the academy: thin history, 1 ÷ 2 is not below the 50% floor.
            #expect(forecast.yield.released == 1 && forecast.yield.separatedBeforeRelease == 1)
            #expect(forecast.yield.numerator == 1 && forecast.yield.denominator == 2 && !forecast.yield.floorApplied)
            #expect(forecast.filledByPipeline == 2)  // ⌊4 × 1 ÷ 2⌋
            #expect(forecast.short == 1)
            #expect(forecast.hires == 2)  // ⌈1 × 2 ÷ 1⌉
            // The expected releases are the domain's, recruit by recruit, in order.
            let policy = TrainingPolicy.pasadenaDefault
            var expected: [(Day, String)] = []
            for id in ["t-hire", "t-acad", "t-grad", "t-ft"] {
                let file = try await dept.service.load(.trainee(TraineeID(id))).file
                let solo = try #require(Readiness.evaluate(file, policy: policy, on: dept.today).milestones.first { $0.name == "solo patrol" })
                expected.append((solo.expected, id))
            }
            let releases = expected.sorted { $0 < $1 }.map(\.0)
            #expect(forecast.schedule.map(\.expected) == [releases[1], releases[3], nil])
            #expect(forecast.schedule.map(\.recruit) == [2, 4, nil])
            #expect(forecast.hireReleasedAbout == dept.day((26 + 22) * 7))
            #expect(forecast.chance?.by == dept.day(365))
            #expect(!forecast.curve.isEmpty)
            // The same log gives the same forecast.
            #expect(try await queries.forecast(openings: 3, by: dept.day(365)) == forecast)
            let history = try await queries.run { try ReadModelQueries.pipelineHistory($0) }
            #expect(history.stageDays[.fieldTraining] == [154: 1])
            #expect(history.stageDays[.academy]?.values.reduce(0, +) == 3)
        }
    }

    @Test("expiring lists coursework never completed (academy recruits where policy requires it), lapsed dates say lapsed, and FTO updates")
    func expiring() async throws {
        try await Self.with { dept, queries, runner, store, database in
            try await dept.qualifyTrainingStaff()
            let lapsed = Actor(id: OfficerID("fto.lapsed"), role: .fto)
            try await dept.qualify(lapsed, courseDaysAgo: 1200)
            try await dept.officer(
                .recordCourse(
                    courseType: "use_of_force", title: "UoF", hours: 4, provider: "PPD", instructor: nil, completedOn: dept.day(-400),
                    certificateReference: nil), lapsed)
            // An officer with only a certificate on file still owes the coursework.
            let patrol = Actor(id: OfficerID("ofc.lane"), role: .fto)
            try await dept.officer(.awardBasicCertificate(certificate: "BC-9", on: dept.day(-100)), patrol)
            try await dept.hire("t-hire", name: "Hal Ng", daysAgo: 3)
            try await dept.hire("t-acad", name: "Ada Moss", daysAgo: 60)
            try await dept.enroll("t-acad", daysAgo: 50)
            try await dept.inFieldTraining("t-ft", name: "Fay Ortiz", daysAgo: 50)
            try await ProjectionRunnerTests.caughtUp(runner, store)
            let rows = try await queries.expiring(withinDays: 365)
            func row(_ person: String, _ item: String) -> ReadModelQueries.ExpiringRow? { rows.first { $0.person == person && $0.item == item } }
            #expect(row("trainee-t-ft", "implicit_bias")?.status == "never completed")
            #expect(row("officer-ofc.lane", "use_of_force")?.status == "never completed")
            #expect(row("officer-ofc.lane", "implicit_bias")?.status == "never completed")
            // The academy teaches these subjects: the default policy asks nothing of recruits yet.
            #expect(!rows.contains { $0.person == "trainee-t-acad" })
            let course = try #require(row("officer-fto.lapsed", "use_of_force"))
            #expect(course.status.hasPrefix("lapsed \(course.due ?? "")"))
            let update = try #require(row("officer-fto.lapsed", "fto_update"))
            #expect(update.kind == "fto_update")
            #expect(update.due == dept.day(-1200).adding(months: 36).description)
            #expect(update.status.hasPrefix("lapsed \(update.due ?? "")"))
            let current = try #require(row("officer-fto.ramos", "fto_update"))
            #expect(current.due == dept.day(-900).adding(months: 36).description)
            #expect(current.status.hasPrefix("24-hour update due"))
            for row in rows where (row.daysLeft ?? 0) < 0 {
                #expect(row.status.hasPrefix("lapsed") || row.status.hasPrefix("ended"), "\(row)")
                #expect(!row.status.contains("expires") && !row.status.contains("lapses"), "\(row)")
            }
            // Most urgent first: never completed, then by date; ties by kind, person and item.
            func key(_ row: ReadModelQueries.ExpiringRow) -> [String] { [row.due ?? "", row.kind, row.person, row.item] }
            #expect(rows.map(key) == rows.map(key).sorted { $0.lexicographicallyPrecedes($1) })

            // A policy that asks recruits to hold the use-of-force course during the academy.
            var policy = TrainingPolicy.pasadenaDefault
            policy.courses[0].requiredDuringAcademy = true
            try await dept.service.adopt(policy, effective: dept.day(-1), by: Dept.chief)
            try await ProjectionRunnerTests.caughtUp(runner, store)
            let after = try await queries.expiring(withinDays: 365)
            #expect(after.contains { $0.person == "trainee-t-acad" && $0.item == "use_of_force" && $0.status == "never completed" })
            #expect(!after.contains { $0.person == "trainee-t-acad" && $0.item == "implicit_bias" })
            // A hire not yet enrolled owes nothing yet.
            #expect(!after.contains { $0.person == "trainee-t-hire" })
        }
    }

    @Test(
        "the sergeant's queue: phase evaluations, DORs awaiting signature (amended too), probation reviews and FTO updates, by due date then person")
    func queue() async throws {
        try await Self.with { dept, queries, runner, store, database in
            try await Self.pipeline(dept)
            let lapsed = Actor(id: OfficerID("fto.lapsed"), role: .fto)
            try await dept.qualify(lapsed, courseDaysAgo: 1200)
            // Phase 1 started 50 days ago (six weeks minimum): its evaluation is 8 days overdue.
            let signed = try await dept.dor("t-ft", daysAgo: 40)
            try await dept.acknowledge("t-ft", signed, daysAgo: 39)
            try await dept.dor("t-ft", daysAgo: 30)
            try await dept.dor("t-ft", daysAgo: 20)
            // The signed DOR is amended: it needs a fresh signature.
            let corrected = DailyObservationReported(
                fto: Dept.fto1.id, shiftDate: dept.day(-40), phase: 1, ratings: Dept.ratings(5), narrative: "Shift noted in detail, corrected.")
            try await dept.record(
                .correctEntry(entry: signed, reason: "Wrong ratings", replacement: .dailyObservationReported(corrected), on: dept.day(-2)), "t-ft",
                by: Dept.fto1)
            try await ProjectionRunnerTests.caughtUp(runner, store)
            let items = try await queries.sergeantQueue(withinDays: 7)
            func item(_ person: String, _ kind: String) -> ReadModelQueries.QueueItem? { items.first { $0.person == person && $0.kind == kind } }
            let evaluation = try #require(item("trainee-t-ft", "phase_evaluation"))
            #expect(evaluation.item == "phase 1 evaluation" && evaluation.daysLeft == -8 && evaluation.trainee == "t-ft")
            let signatures = try #require(item("trainee-t-ft", "dor_signature"))
            #expect(signatures.item == "3 DORs await the trainee's signature (1 amended)")
            #expect(signatures.due == dept.day(-40).description)
            let release = dept.day(-280 + 154)
            let review = try #require(item("trainee-t-solo", "probation_review"))
            #expect(review.item == "probation 3-month review" && review.due == release.adding(months: 3).description)
            let update = try #require(item("officer-fto.lapsed", "fto_update"))
            #expect(update.trainee == nil && update.daysLeft < 0)
            // Not yet due: the other FTOs' updates, and anything of the separated recruit.
            #expect(item("officer-fto.ramos", "fto_update") == nil)
            #expect(!items.contains { $0.person == "trainee-t-gone" })
            let keys = items.map { [$0.due, $0.person, $0.kind] }
            #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })

            // The evaluation filed: the sign-off is what is left. The review recorded: the next one.
            let report = PhaseReportContent(ratings: Dept.ratings(), recommendation: .advance, narrative: "Ready for phase 2.")
            try await dept.record(
                .evaluatePhase(phase: 1, evaluator: Dept.evaluator.id, report: report, on: dept.day(-1)), "t-ft", by: Dept.evaluator)
            try await dept.record(.reviewProbation(interval: 3, outcome: .satisfactory, notes: "On track.", on: dept.day(-1)), "t-solo")
            try await ProjectionRunnerTests.caughtUp(runner, store)
            let after = try await queries.sergeantQueue(withinDays: 365)
            #expect(
                after.first { $0.person == "trainee-t-ft" && $0.kind.hasPrefix("phase") }?.item
                    == "phase 1 sign-off (evaluation filed \(dept.day(-1)))")
            #expect(after.first { $0.person == "trainee-t-solo" && $0.kind == "probation_review" }?.item == "probation 6-month review")
            #expect(
                after.contains { $0.person == "officer-fto.ramos" && $0.kind == "fto_update" } == (dept.day(-900).adding(months: 36) <= dept.day(365))
            )
        }
    }

    @Test("the tracking sheet holds the domain's trends, and a rebuild refills all four read-model tables as the runner built them")
    func trackingSheetAndRebuild() async throws {
        try await Self.with { dept, queries, runner, store, database in
            try await Self.pipeline(dept)
            for (daysAgo, writing) in [(40, 3), (33, 4), (26, 4), (19, 5)] {
                try await dept.dor(
                    "t-ft", daysAgo: daysAgo, ratings: Dept.ratings(4, ["report_writing": .score(writing), "radio_use": .notObserved]))
            }
            try await ProjectionRunnerTests.caughtUp(runner, store)
            let sheet = try #require(try await queries.trackingSheet("t-ft"))
            #expect(sheet.name == "Fay Ortiz" && sheet.badge == "B-t-ft")
            let file = try await dept.service.load(.trainee(TraineeID("t-ft"))).file
            let trends = CategoryTrend.trends(try #require(file.fieldTraining), policy: TrainingPolicy.pasadenaDefault.fieldTraining)
            #expect(sheet.phases.map(\.phase) == [1])
            #expect(sheet.phases[0].shifts == [40, 33, 26, 19].map { dept.day(-$0).description })
            #expect(sheet.phases[0].categories.map(\.category) == trends.map(\.category.rawValue))
            #expect(sheet.phases[0].categories.map(\.ratings) == trends.map { $0.cells.map { $0?.description ?? "" } })
            #expect(sheet.phases[0].categories.map(\.trend) == trends.map(\.direction.rawValue))
            let writing = try #require(sheet.phases[0].categories.first { $0.category == "report_writing" })
            #expect(writing.ratings == ["3", "4", "4", "5"] && writing.trend == "improving" && writing.meanTimes100 == 400)
            #expect(sheet.phases[0].categories.first { $0.category == "radio_use" }?.ratings == ["N/O", "N/O", "N/O", "N/O"])
            // The released trainee's sheet has every phase; one phase on request; nobody unknown.
            #expect(try await queries.trackingSheet("t-solo")?.phases.map(\.phase) == [1, 2, 3, 4])
            #expect(try await queries.trackingSheet("t-solo", phase: 2)?.phases.map(\.phase) == [2])
            #expect(try await queries.trackingSheet("t-hire")?.phases.isEmpty == true)
            #expect(try await queries.trackingSheet("t-nobody") == nil)

            let client = runner.clientForTests
            let live = try await Self.tables(client)
            #expect(live.contains("fto.adeyemi") && live.contains("report_writing"))
            _ = try await ProjectionRunner(client: try await database.client(), clock: .fixed(dept.today)).rebuild()
            let rebuilt = try await Self.tables(client)
            let liveLines = Set(live.split(separator: "\n"))
            let rebuiltLines = Set(rebuilt.split(separator: "\n"))
            #expect(
                rebuilt == live,
                "live only: \(liveLines.subtracting(rebuiltLines).sorted()) rebuilt only: \(rebuiltLines.subtracting(liveLines).sorted())")
            let indexes = try await client.rows(
                """
                SELECT indexrelid::regclass::text FROM pg_index
                WHERE indrelid IN ('muster.fto_qualification'::regclass, 'muster.category_trends'::regclass,
                                   'muster.trainee_status'::regclass, 'muster.coursework_currency'::regclass)
                """
            ) { try $0.decode(String.self, row: $1, column: 0) }
            #expect(
                Set(indexes) == [
                    "muster.category_trends_pkey", "muster.coursework_currency_due_idx", "muster.coursework_currency_pkey",
                    "muster.fto_qualification_due_idx", "muster.fto_qualification_pkey", "muster.trainee_status_board_idx",
                    "muster.trainee_status_next_review_idx", "muster.trainee_status_phase_due_idx", "muster.trainee_status_pkey",
                    "muster.trainee_status_probation_end_idx", "muster.trainee_status_remedial_due_idx", "muster.trainee_status_stage_idx",
                    "muster.trainee_status_unsigned_dors_idx", "muster.trainee_status_statewide_board_idx",
                    "muster.trainee_status_statewide_probation_end_idx", "muster.coursework_currency_statewide_due_idx",
                    "muster.fto_qualification_statewide_due_idx", "muster.trainee_status_readiness_idx",
                    "muster.trainee_status_statewide_readiness_idx",
                ])
            // The columns schema/0013 keeps out of ANALYZE stay out of it in the rebuilt tables.
            let withoutStatistics = try await client.rows(
                """
                SELECT attname::text FROM pg_attribute
                WHERE attrelid = 'muster.category_trends'::regclass AND attnum > 0 AND attstattarget = 0 ORDER BY attname
                """
            ) { try $0.decode(String.self, row: $1, column: 0) }
            #expect(withoutStatistics == ["ratings", "shifts"])
        }
    }

    /// Every read-model row, in key order.
    static func tables(_ client: PostgresClient) async throws -> String {
        var text = ""
        for (table, order) in [
            ("trainee_status", "trainee_id"), ("coursework_currency", "person_stream, course_type"), ("fto_qualification", "person_stream"),
            ("category_trends", "trainee_id, phase, category"),
        ] {
            text +=
                try await client.rows(
                    PostgresQuery(unsafeSQL: "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY \(order)), '') FROM muster.\(table) t")
                ) { try $0.decode(String.self, row: $1, column: 0) }[0] + "\n--\n"
        }
        return text
    }

    @Test("two trainees with the same name and dates, recorded in opposite orders, give byte-identical boards")
    func sameLogSameOutput() async throws {
        func boards(_ order: [String]) async throws -> String {
            var output = ""
            try await Self.with { dept, queries, runner, store, database in
                try await dept.qualifyTrainingStaff()
                for fto in order.map({ Actor(id: OfficerID("fto.\($0)"), role: .fto) }) { try await dept.qualify(fto, courseDaysAgo: 1100) }
                for id in order { try await dept.hire("t-\(id)-hire", name: "Pat Lee", daysAgo: 5) }
                for id in order { try await dept.inFieldTraining("t-\(id)", name: "Pat Lee", daysAgo: 50) }
                for id in order {
                    try await dept.dor("t-\(id)", daysAgo: 9)
                    // Assigned on different days: the solo gate lists open remedial training by its
                    // assignment day alone (see the report on PersonnelFile.openRemedial).
                    try await dept.record(
                        .assignRemedial(category: "report_writing", due: dept.day(3), plan: "Practice", on: dept.day(-8)), "t-\(id)")
                    try await dept.record(.assignRemedial(category: "radio_use", due: dept.day(3), plan: "Drills", on: dept.day(-7)), "t-\(id)")
                }
                for id in order { try await dept.releasedToSolo("t-\(id)-solo", name: "Pat Lee", daysAgo: 300) }
                try await ProjectionRunnerTests.caughtUp(runner, store)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                func add(_ value: some Encodable) throws { output += String(decoding: try encoder.encode(value), as: UTF8.self) + "\n" }
                try add(try await queries.pipeline())
                try add(try await queries.readiness(withinDays: 36_500))
                try add(try await queries.expiring(withinDays: 36_500))
                try add(try await queries.sergeantQueue(withinDays: 36_500))
                try add(try await queries.ftoWorkload())
                try add(try await queries.forecast(openings: 3, by: dept.day(400)))
                for id in ["a", "b"] {
                    try add(try await queries.trackingSheet("t-\(id)"))
                    try add(try await queries.trainee("t-\(id)")?.blockers)
                }
            }
            return output
        }
        let forward = try await boards(["a", "b"])
        let backward = try await boards(["b", "a"])
        // Board by board, so a difference names its board.
        for (index, (one, other)) in zip(forward.split(separator: "\n"), backward.split(separator: "\n")).enumerated() {
            #expect(one == other, "board #\(index + 1) differs")
        }
        #expect(forward == backward)
        #expect(forward.contains("remedial: report writing (due"))
        #expect(forward.contains("fto.a") && forward.contains("fto.b"))
    }

    @Test("a trainee's open remedial training reads the same whatever order the entries were filed in")
    func remedialDetailOrder() {
        let sergeant = Dept.sergeant
        let day = Day("2026-03-02")!
        func entry(_ id: String, _ event: TrainingEvent) -> Entry { Entry(id: EntryID(id), occurredOn: day, actor: sergeant, event: event) }
        let hire = entry(
            "e-1", .recruitHired(RecruitHired(trainee: TraineeID("t-1"), name: "Pat Lee", badge: "B-1", hireDate: day, agency: AgencyID("p"))))
        let start = entry("e-2", .fieldTrainingStarted(FieldTrainingStarted(date: day)))
        let writing = entry(
            "e-3", .remedialTrainingAssigned(RemedialTrainingAssigned(category: "report_writing", due: day.adding(days: 7), plan: "P")))
        let radio = entry("e-4", .remedialTrainingAssigned(RemedialTrainingAssigned(category: "radio_use", due: day.adding(days: 7), plan: "D")))
        let rows = [[hire, start, writing, radio], [hire, start, radio, writing]].map {
            ReadModelRows.traineeStatus(TrainingDecider.fold($0), trainee: "t-1", policy: .pasadenaDefault)?.openRemedialDetail
        }
        #expect(rows[0] == "radio use (due \(day.adding(days: 7))); report writing (due \(day.adding(days: 7)))")
        #expect(rows[0] == rows[1])
    }
}

import EventLog
import EventLogPostgres
import Foundation
import Postgres
public import TrainingDomain
import TrainingRecords

/// Bulk-loads synthetic agencies for benchmarks with COPY: officers with years of coursework
/// (some of them FTOs) and a share of recruits with field-training histories. The database
/// stamps and chains every row as it does any insert, so `muster audit verify` passes.
public struct SyntheticSeeder: Sendable {
    let configuration: PostgresConfiguration
    let today: Day

    /// - Returns: the number of events loaded.
    /// - Parameter named: the id of agency `index` (default `agency-<index>`).
    public func seed(
        agencies: Int, officers: Int, progress: (Int, Int) -> Void = { _, _ in },
        named: @Sendable (Int) -> AgencyID = SyntheticSeeder.agency
    ) async throws -> Int {
        let client = try await PostgresClient.connect(configuration)
        let sergeant = Actor(id: OfficerID("sgt.synthetic"), role: .trainingSergeant)
        var generator = SeededGenerator(seed: 42)
        var loaded = 0
        var batch = PostgresCopyText()
        // The rows of one agency at a time, loaded by a session acting for it (the database
        // stamps each event with its session's agency).
        var batchAgency = ""
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let rows = batch
            let agency = batchAgency
            batch.removeAll()
            try await client.withConnection { connection in
                try connection.query("SELECT set_config('muster.agency', \(agency), false)")
                try PostgresEventStore.copyIn(rows, on: connection)
            }
        }
        let provenance = Provenance(source: "seed:synthetic")
        func append(_ stream: StreamID, _ entries: [Entry]) throws {
            for (index, entry) in entries.enumerated() {
                let event = try EntryMapping.eventData(entry, provenance: provenance)
                batch.text(stream.rawValue)
                batch.value(index + 1)
                batch.text(event.id.uuidString.lowercased())
                batch.text(event.type)
                batch.value(event.schemaVersion)
                batch.text(event.data)
                batch.text(event.canonicalMetadata)
                batch.text(Self.timestamp(Microseconds.since1970(event.occurredAt)))
                batch.endRow()
            }
            loaded += entries.count
        }
        let perAgency = max(1, officers / max(1, agencies))
        let total = perAgency * agencies
        var made = 0
        for agency in 0..<agencies {
            try await flush()
            batchAgency = named(agency).rawValue
            for index in 0..<perAgency {
                let name = "a\(agency)-o\(index)"
                if index % 20 == 0 {
                    try append(try Streams.trainee(TraineeID(name)), recruitHistory(name, agency: agency, named(agency), &generator, sergeant))
                } else {
                    try append(try Streams.officer(OfficerID(name)), officerHistory(index, &generator, sergeant))
                }
                made += 1
                if batch.bytes.count > 8 << 20 {
                    try await flush()
                    progress(made, total)
                }
            }
        }
        try await flush()
        progress(made, total)
        await client.close()
        return loaded
    }

    /// The id of synthetic agency `index`.
    public static func agency(_ index: Int) -> AgencyID { AgencyID("agency-\(index)") }

    func entry(_ event: TrainingEvent, _ day: Day, _ actor: Actor, _ generator: inout SeededGenerator) -> Entry {
        Entry(id: EntryID(generator.uuid().uuidString.lowercased()), occurredOn: day, actor: actor, event: event)
    }

    /// Eight years of refreshers, every officer; every tenth an FTO.
    func officerHistory(_ index: Int, _ g: inout SeededGenerator, _ sergeant: Actor) -> [Entry] {
        var entries: [Entry] = []
        if index % 10 == 1 {
            entries.append(
                entry(.ftoQualified(FTOQualified(courseDate: today.adding(days: -Int(g.next() % 2000)))), today.adding(days: -2000), sergeant, &g))
        }
        // Five yearly use-of-force refreshers and three two-yearly bias refreshers, the latest a
        // random while ago.
        let refreshers: [(type: CourseType, title: String, hours: Double, instructor: String?, every: Int, count: Int, spread: UInt64)] = [
            ("use_of_force", "Use of force refresher", 4, nil, 365, 5, 420), ("implicit_bias", "RIPA refresher", 2, "Instructor", 730, 3, 800),
        ]
        for course in refreshers {
            let latest = Int(g.next() % course.spread)
            for cycle in (0..<course.count).reversed() {
                let day = today.adding(days: -(latest + cycle * course.every))
                let completed = CourseCompleted(
                    courseType: course.type, title: course.title, hours: course.hours, provider: "Agency", instructor: course.instructor,
                    completedOn: day, certificateReference: nil)
                entries.append(entry(.courseCompleted(completed), day, sergeant, &g))
            }
        }
        return entries
    }

    /// A recruit hired within the last year: academy, and (if far enough along) field training with DORs.
    func recruitHistory(_ name: String, agency: Int, _ agencyID: AgencyID, _ g: inout SeededGenerator, _ sergeant: Actor) -> [Entry] {
        let hire = today.adding(days: -Int(g.next() % 360))
        let fto = Actor(id: OfficerID("a\(agency)-o1"), role: .fto)
        var entries = [
            entry(
                .recruitHired(
                    RecruitHired(
                        trainee: TraineeID(name), name: "Recruit \(name)", badge: "S-\(name)", hireDate: hire, agency: agencyID)),
                hire, sergeant, &g),
            entry(
                .academyEnrolled(AcademyEnrolled(classNumber: "S-\(agency)", academy: "Regional academy", start: hire.adding(days: 7))), hire,
                sergeant, &g),
        ]
        let graduation = hire.adding(days: 7 + 182)
        guard graduation < today else { return entries }
        for (index, test) in TrainingPolicy.pasadenaDefault.academy.requiredTests.enumerated() {
            entries.append(
                entry(
                    .academyTestRecorded(AcademyTestRecorded(test: test, attempt: 1, passed: true, score: 85, instructor: "Instructor")),
                    hire.adding(days: 60 + index), sergeant, &g))
        }
        entries.append(entry(.academyGraduated(AcademyGraduated(date: graduation)), graduation, sergeant, &g))
        entries.append(entry(.fieldTrainingStarted(FieldTrainingStarted(date: graduation.adding(days: 3))), graduation.adding(days: 3), sergeant, &g))
        entries.append(entry(.ftoAssigned(FTOAssigned(fto: fto.id, phase: 1)), graduation.adding(days: 3), sergeant, &g))
        var shift = graduation.adding(days: 4)
        while shift < today && shift < graduation.adding(days: 40) {
            entries.append(
                entry(
                    .dailyObservationReported(
                        DailyObservationReported(
                            fto: fto.id, shiftDate: shift, phase: 1, ratings: ["report_writing": .score(4), "officer_safety": .score(5)],
                            narrative: "")), shift, fto, &g))
            shift = shift.adding(days: 2)
        }
        return entries
    }
}

extension SyntheticSeeder {
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`, as COPY reads a `timestamptz`.
    static func timestamp(_ micros: Int64) -> String {
        let (days, remainder) = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
        let (day, micro) = remainder < 0 ? (days - 1, remainder + 86_400_000_000) : (days, remainder)
        let second = micro / 1_000_000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return
            "\(Day(daysSince1970: Int(day))) \(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2)).\(pad(micro % 1_000_000, 6))+00"
    }
}

extension MusterDatabase {
    public func syntheticSeeder() -> SyntheticSeeder {
        SyntheticSeeder(configuration: configuration, today: clock.today)
    }
}

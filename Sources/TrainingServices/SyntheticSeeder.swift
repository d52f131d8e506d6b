import EventLog
import EventLogPostgres
import Foundation
import Postgres
import TrainingDomain
import TrainingRecords

/// Bulk-loads synthetic agencies for benchmarks with COPY: officers with years of coursework
/// (some of them FTOs) and a share of recruits with field-training histories. The hash chains
/// are computed here exactly as the store computes them, so `muster audit verify` passes.
public struct SyntheticSeeder: Sendable {
    let configuration: PostgresConfiguration
    let today: Day

    /// - Returns: the number of events loaded.
    public func seed(agencies: Int, officers: Int, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let client = try await PostgresClient.connect(configuration)
        let recordedMicros = Microseconds.since1970(Date())
        let sergeant = Actor(id: OfficerID("sgt.synthetic"), role: .trainingSergeant)
        var generator = SeededGenerator(seed: 42)
        var loaded = 0
        var batch = PostgresCopyText()
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let rows = batch
            batch.removeAll()
            try await client.withConnection { try PostgresEventStore.copyIn(rows, on: $0) }
        }
        func append(_ stream: StreamID, _ entries: [Entry]) throws {
            var previous = EventHash.genesis
            for (index, entry) in entries.enumerated() {
                let event = try EntryMapping.eventData(entry, source: "seed:synthetic")
                let content = event.hashContent(stream: stream, version: index + 1)
                let hash = EventHash.hash(previous: previous, content: content, recordedAtMicros: recordedMicros)
                batch.text(stream.rawValue)
                batch.value(index + 1)
                batch.text(event.id.uuidString.lowercased())
                batch.text(event.type)
                batch.value(event.schemaVersion)
                batch.text(event.data)
                batch.text(event.canonicalMetadata)
                batch.timestamp(microsecondsSince1970: Microseconds.since1970(event.occurredAt))
                batch.timestamp(microsecondsSince1970: recordedMicros)
                batch.bytea(previous)
                batch.bytea(hash)
                batch.endRow()
                previous = hash
            }
            loaded += entries.count
        }
        let perAgency = max(1, officers / max(1, agencies))
        let total = perAgency * agencies
        var made = 0
        for agency in 0..<agencies {
            for index in 0..<perAgency {
                let name = "a\(agency)-o\(index)"
                if index % 20 == 0 {
                    try append(try Streams.trainee(TraineeID(name)), recruitHistory(name, agency: agency, &generator, sergeant))
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
        let uofStart = Int(g.next() % 420)
        for year in (0..<5).reversed() {
            let day = today.adding(days: -(uofStart + year * 365))
            entries.append(
                entry(
                    .courseCompleted(
                        CourseCompleted(
                            courseType: "use_of_force", title: "Use of force refresher", hours: 4, provider: "Agency", instructor: nil,
                            completedOn: day, certificateReference: nil)), day, sergeant, &g))
        }
        let biasStart = Int(g.next() % 800)
        for cycle in (0..<3).reversed() {
            let day = today.adding(days: -(biasStart + cycle * 730))
            entries.append(
                entry(
                    .courseCompleted(
                        CourseCompleted(
                            courseType: "implicit_bias", title: "RIPA refresher", hours: 2, provider: "POST", instructor: "Instructor",
                            completedOn: day, certificateReference: nil)), day, sergeant, &g))
        }
        return entries
    }

    /// A recruit hired within the last year: academy, and (if far enough along) field training with DORs.
    func recruitHistory(_ name: String, agency: Int, _ g: inout SeededGenerator, _ sergeant: Actor) -> [Entry] {
        let hire = today.adding(days: -Int(g.next() % 360))
        let fto = Actor(id: OfficerID("a\(agency)-o1"), role: .fto)
        var entries = [
            entry(
                .recruitHired(
                    RecruitHired(
                        trainee: TraineeID(name), name: "Recruit \(name)", badge: "S-\(name)", hireDate: hire, agency: AgencyID("agency-\(agency)"))),
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

extension MusterDatabase {
    public func syntheticSeeder() -> SyntheticSeeder {
        SyntheticSeeder(configuration: configuration, today: clock.today)
    }
}

import EventLog
import EventLogPostgres
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Milliseconds to load and fold one trainee whose stream holds `length` events, median of `runs`.
func loadAndFoldMilliseconds(store: PostgresEventStore, length: Int, runs: Int) async throws -> (median: Double, p99: Double) {
    let trainee = TraineeID("bench-fold-\(UUID().uuidString.prefix(8).lowercased())")
    let stream = try Streams.trainee(trainee)
    let history = syntheticHistory(length: length, seed: 7)
    var index = 0
    while index < history.count {
        let chunk = history[index..<min(index + 100, history.count)].map { entry in
            var entry = entry
            entry.id = EntryID(UUID().uuidString.lowercased())
            // Badges are unique in the log: each run hires under its own.
            if case .recruitHired(var hire) = entry.event {
                hire.badge = "R-\(trainee.rawValue)"
                entry.event = .recruitHired(hire)
            }
            return entry
        }
        _ = try await store.append(try chunk.map { try EntryMapping.eventData($0) }, to: stream, expectedVersion: .any)
        index += 100
    }
    let service = TrainingService(store: store, agency: AgencyID("pasadena"))
    var timings: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        let (file, version) = try await service.load(.trainee(trainee))
        let elapsed = ContinuousClock.now - start
        precondition(version == length && file.fieldTraining != nil)
        timings.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    // Where the time goes, once more by parts: the read (query and rows), entries from events,
    // the fold.
    let clock = ContinuousClock()
    let start = clock.now
    let events = try await store.readStreamToFold(stream)
    let readTime = clock.now - start
    let single = clock.now
    let whole = try await store.readStream(stream, from: 1, direction: .forward, limit: 10_000)
    let singleTime = clock.now - single
    precondition(whole.count == events.count)
    var entries: [Entry] = []
    let mapTime = clock.measure { entries = EntryMapping.entries(events) }
    var folded = PersonnelFile()
    let foldTime = clock.measure { folded = TrainingDecider.fold(entries) }
    precondition(folded.fieldTraining != nil)
    log(
        "    by parts: read \(milliseconds(readTime)) ms (in one query \(milliseconds(singleTime)) ms), entries \(milliseconds(mapTime)) ms, fold \(milliseconds(foldTime)) ms"
    )
    timings.sort()
    return (timings[timings.count / 2], timings[min(timings.count - 1, Int(Double(timings.count) * 0.99))])
}

private func milliseconds(_ duration: Duration) -> String {
    String(format: "%.1f", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
}

/// Wall-clock milliseconds for `muster ft dor` as a whole process (start, connect, load, decide,
/// append, exit), median of `runs`, each on a fresh shift date.
func cliDORMilliseconds(binary: String, databaseURL: String, store: PostgresEventStore, runs: Int) async throws -> Double {
    let service = TrainingService(store: store, agency: AgencyID("pasadena"))
    let today = service.clock.today
    let sergeant = Actor(id: OfficerID("sgt.bench"), role: .trainingSergeant)
    let fto = Actor(id: OfficerID("fto.bench"), role: .fto)
    if (try? await service.resolve(fto.id)) == nil {
        try await service.register(OfficerID("chief.bench"), name: "Chief", role: .chief, by: nil)
        try await service.register(sergeant.id, name: "Sgt", role: .trainingSergeant, by: Actor(id: OfficerID("chief.bench"), role: .chief))
        try await service.register(fto.id, name: "FTO", role: .fto, by: sergeant)
        // An FTO as POST requires: the Basic Certificate, a year on patrol, the FTO course.
        try await service.record(.awardBasicCertificate(certificate: "BC-BENCH", on: today.adding(days: -2000)), on: .officer(fto.id), by: sergeant)
        try await service.record(.startPatrolAssignment(on: today.adding(days: -1900)), on: .officer(fto.id), by: sergeant)
        try await service.record(.qualifyFTO(courseDate: today.adding(days: -800)), on: .officer(fto.id), by: sergeant)
    }
    let trainee = TraineeID("bench-cli-\(UUID().uuidString.prefix(8).lowercased())")
    let me = FileReference.trainee(trainee)
    let hire = today.adding(days: -300)
    try await service.record(
        .hireRecruit(trainee: trainee, name: "Bench Recruit", badge: "B-\(trainee.rawValue.suffix(8))", hireDate: hire, agency: AgencyID("pasadena")),
        on: me, by: sergeant)
    try await service.record(.enrollInAcademy(classNumber: "B", academy: "A", start: hire.adding(days: 5), source: nil), on: me, by: sergeant)
    for test in TrainingPolicy.pasadenaDefault.academy.requiredTests {
        try await service.record(
            .recordAcademyTest(test: test, passed: true, score: 90, instructor: "I", on: hire.adding(days: 60), source: nil), on: me, by: sergeant)
    }
    try await service.record(.graduateAcademy(on: hire.adding(days: 190)), on: me, by: sergeant)
    try await service.record(.startFieldTraining(on: hire.adding(days: 192)), on: me, by: sergeant)
    try await service.record(.assignFTO(fto: fto.id, phase: 1, on: hire.adding(days: 192)), on: me, by: sergeant)
    // A real DOR rates every category of the policy (here all 4s: no narrative is required).
    let ratings = TrainingPolicy.pasadenaDefault.fieldTraining.categories.flatMap { ["--rating", "\($0.rawValue)=4"] }
    var timings: [Double] = []
    for run in 0..<runs {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "ft", "dor", trainee.rawValue, "--date", today.adding(days: -run - 1).description, "--database-url", databaseURL, "--as", "fto.bench",
            ] + ratings
        process.standardOutput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        guard process.terminationStatus == 0 else { throw BenchFailure("muster ft dor failed in the benchmark (exit \(process.terminationStatus))") }
        timings.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    timings.sort()
    return timings[timings.count / 2]
}

/// The service layer's own cases: loading and folding a long record, and one DOR through the
/// whole `muster` process.
func serviceCases(_ bench: Bench, musterBinary: String?) async throws -> [BenchResult] {
    var results: [BenchResult] = []
    log("load and fold one trainee with 5,000 events")
    let store = try await PostgresEventStore.connect(bench.configuration)
    let fold = try await loadAndFoldMilliseconds(store: store, length: 5000, runs: bench.quick ? 5 : 21)
    results.append(limited("load_and_fold_5000_events", value: fold.median, unit: "ms", limit: 65, note: String(format: "p99 %.1f ms", fold.p99)))
    if let musterBinary {
        log("muster ft dor as a whole process")
        let wall = try await cliDORMilliseconds(binary: musterBinary, databaseURL: bench.databaseURL, store: store, runs: bench.quick ? 3 : 11)
        results.append(limited("cli_log_one_dor_wall", value: wall, unit: "ms", limit: 100, note: "median"))
    }
    await store.close()
    return results
}

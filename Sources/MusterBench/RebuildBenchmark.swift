import ArgumentParser
import EventLogPostgres
import Foundation
import Glibc
import Postgres

/// `muster-bench rebuild`: `muster projections rebuild` as a whole process beside COPY TO of the
/// same rows, in the same run, with the process's peak resident memory as the kernel counts it.
/// Run by `scripts/bench-rebuild` on a database it has loaded.
struct RebuildBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "The stream-order rebuild beside COPY TO of the same rows, and its peak memory.")

    // Names of their own: muster-bench's own options (--database-url, --muster, --rounds,
    // --output) would take the values given after the subcommand.
    @Option(help: "A loaded, disposable database (default: MUSTER_DATABASE_URL).") var url: String?
    @Option(help: "The muster executable whose rebuild is measured.") var musterBinary: String
    @Option(help: "Where to write the results as JSON.") var results = "bench-rebuild-results.json"
    @Option(help: "Rounds (median reported).") var rebuildRounds = 3
    @Option(help: "The results' name prefix (e.g. projection_rebuild_interleaved).") var label = "projection_rebuild"
    @Flag(inversion: .prefixedNo, help: "Then time the boards on the rebuilt read models, for one agency and statewide.") var boards = true

    func validate() throws {
        if !(1...20).contains(rebuildRounds) { throw ValidationError("--rebuild-rounds must be 1 to 20") }
    }

    func run() async throws {
        let url = url ?? ProcessInfo.processInfo.environment["MUSTER_DATABASE_URL"] ?? ""
        let bench = Bench(
            configuration: PostgresConfiguration(conninfo: url, options: "-c muster.agency=pasadena"), databaseURL: url, rounds: rebuildRounds,
            quick: false)
        var measured = try await rebuildCases(bench, musterBinary: musterBinary, label: label)
        if boards { measured += try await stateBoardCases(bench) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(measured).write(to: URL(fileURLWithPath: results))
        log("wrote \(results)")
    }
}

/// Rounds alternate COPY TO (the whole log in log order, as a reader copies it out) and
/// `muster projections rebuild` in a child process; a second baseline is the rebuild's own read
/// (binary COPY in stream order) with nothing done to the rows. Peak RSS is the largest
/// rebuild process's (getrusage of waited-for children: this process starts no other).
func rebuildCases(_ bench: Bench, musterBinary: String, label: String) async throws -> [BenchResult] {
    let admin = try await PostgresClient.connect(bench.configuration)
    let total = try await count(admin, "SELECT count(*) FROM muster.events")
    let people = try await count(admin, "SELECT count(DISTINCT stream_id) FROM muster.events")
    let size = try await admin.rows("SELECT pg_size_pretty(pg_total_relation_size('muster.events'))") {
        try $0.decode(String.self, row: $1, column: 0)
    }[0]
    guard total > 0 else { throw BenchFailure("the database holds no events: load some first (muster seed synthetic)") }
    log("rebuild of \(total) events in \(people) streams (\(size) with indexes) vs COPY TO STDOUT of the same rows; \(bench.rounds) round(s)")
    var copyRates: [Double] = []
    var streamCopyRates: [Double] = []
    var rebuildRates: [Double] = []
    for round in 1...bench.rounds {
        copyRates.append(Double(total) / (try await seconds { _ = try await copyWholeLog(admin) }))
        streamCopyRates.append(Double(total) / (try await seconds { _ = try await copyInStreamOrder(admin) }))
        let elapsed = try await seconds { try runRebuild(musterBinary, databaseURL: bench.databaseURL) }
        rebuildRates.append(Double(total) / elapsed)
        log(
            String(
                format: "  round %d: COPY %.0f/s, stream-order COPY %.0f/s, rebuild %.1f s (%.0f/s)", round, copyRates.last!, streamCopyRates.last!,
                elapsed, rebuildRates.last!))
    }
    await admin.close()
    let peakMB = Double(peakChildResidentKilobytes()) / 1024
    return [
        compared(label, unit: "events/s", goal: 0.5, baseline: copyRates, muster: rebuildRates),
        compared(label + "_vs_stream_order_copy", unit: "events/s", goal: nil, baseline: streamCopyRates, muster: rebuildRates),
        limited(label + "_peak_rss", value: peakMB, unit: "MB", limit: 256, note: "\(total) events, \(people) streams"),
    ]
}

/// The rebuild's own read, alone: every event below the horizon in stream order, binary.
func copyInStreamOrder(_ client: PostgresClient) async throws -> Int {
    try await client.withConnection { connection in
        let horizon = try PostgresEventStore.scanHorizon(on: connection).horizon
        var rows = 0
        try PostgresEventStore.scanStreams(from: nil, to: nil, below: horizon, on: connection) { _ in rows += 1 }
        return rows
    }
}

/// `muster projections rebuild` against `databaseURL`, waited for; throws with its error output
/// when it fails.
func runRebuild(_ binary: String, databaseURL: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["projections", "rebuild"]
    var environment = ProcessInfo.processInfo.environment
    environment["MUSTER_DATABASE_URL"] = databaseURL
    process.environment = environment
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchFailure("muster projections rebuild failed: \(text.suffix(2000))") }
}

/// The largest peak resident set of any child waited for so far, in kilobytes.
func peakChildResidentKilobytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return usage.ru_maxrss
}

import ArgumentParser
import Foundation
import Postgres

/// `muster-bench`: each Muster case beside a raw-SQL baseline on an identical table, in the same
/// run, on the same server. Rounds alternate baseline and Muster; the median of each is reported
/// with their ratio, because these machines are shared and noisy.
@main
struct MusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muster-bench", abstract: "Muster's benchmarks, each beside its baseline in the same run (run by scripts/bench).",
        subcommands: [RebuildBenchmark.self])

    @Option(name: .customLong("database-url"), help: "A migrated, disposable database (default: MUSTER_DATABASE_URL).") var databaseURL: String?
    @Option(help: "The muster executable, for the whole-process case.") var muster: String?
    @Option(help: "Where to write the results as JSON.") var output = "bench-results.json"
    @Option(help: "Rounds per case (default: 3, or 1 with --quick).") var rounds: Int?
    @Flag(help: "A short run: fewer rounds and smaller loads.") var quick = false
    @Flag(help: "Add the driver-hop case that separates the store's cost from the client's.") var diagnose = false
    @Flag(help: "Skip the projection rebuild and board queries at 100,000+ officers.") var noScale = false
    @Flag(help: "Only the HTTP cases: muster serve under wrk against the same work in-process (needs --muster).") var http = false
    @Option(help: "The wrk executable, for the HTTP cases.") var wrk = "/usr/bin/wrk"
    @Option(help: "The server's --pool-size in the HTTP cases (default: the server's own default).") var poolSize: Int?
    @Option(help: "Run only these groups of cases (repeatable): fold, append, read, service, rls, scale.") var only: [CaseGroup] = []

    enum CaseGroup: String, ExpressibleByArgument, CaseIterable { case fold, append, read, service, rls, scale }

    func validate() throws {
        if let rounds, !(1...20).contains(rounds) { throw ValidationError("--rounds must be 1 to 20") }
        if let poolSize, !(1...256).contains(poolSize) { throw ValidationError("--pool-size must be 1 to 256") }
    }

    func run() async throws {
        let url = databaseURL ?? ProcessInfo.processInfo.environment["MUSTER_DATABASE_URL"] ?? ""
        let bench = Bench(
            configuration: PostgresConfiguration(conninfo: url, options: "-c muster.agency=pasadena"), databaseURL: url,
            rounds: rounds ?? (quick ? 1 : 3), quick: quick)
        if http {
            let results = try await httpCases(
                bench, musterBinary: muster, wrk: wrk, officers: quick ? 20_000 : 100_000, seconds: quick ? 5 : 10, poolSize: poolSize)
            report(results)
            try JSONEncoder().encode(results).write(to: URL(fileURLWithPath: output))
            return
        }
        let groups = Set(only.isEmpty ? CaseGroup.allCases.filter { $0 != .scale || !noScale } : only)
        var results: [BenchResult] = []
        if groups.contains(.fold) { results.append(try foldCase(bench)) }
        if groups.contains(.append) { results += try await appendCases(bench, diagnose: diagnose) }
        if groups.contains(.read) { results += try await readCases(bench) }
        if groups.contains(.service) { results += try await serviceCases(bench, musterBinary: muster) }
        if groups.contains(.rls) { results += try await rlsCases(bench) }
        if groups.contains(.scale) { results += try await scaleCases(bench, officers: quick ? 20_000 : 110_000) }
        report(results)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(results).write(to: URL(fileURLWithPath: output))
        log("\nwrote \(output)")
    }

    /// A table for people; the JSON file is for programs.
    func report(_ results: [BenchResult]) {
        // The first column as wide as the longest case name, so no name runs into its value.
        let width = max(28, (results.map(\.name.count).max() ?? 0) + 2)
        func row(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: $0.offset == 0 ? width : 20, withPad: " ", startingAt: 0) }.joined()
        }
        print("\n" + row(["CASE", "MUSTER", "BASELINE", "RATIO", "GOAL"]))
        for result in results {
            let cells = [
                result.name, String(format: "%.0f %@", result.value, result.unit), String(format: "%.0f %@", result.baseline, result.unit),
                String(format: "%.2f", result.ratio),
                result.goal.map { String(format: "≥ %.2f %@", $0, result.ratio >= $0 ? "met" : "MISSED") } ?? "-",
            ]
            print(row(cells))
        }
    }
}

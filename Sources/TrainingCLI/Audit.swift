import ArgumentParser
import EventLog
import EventLogPostgres
import TrainingServices

extension Muster {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the log is complete and unaltered.", subcommands: [Verify.self, Seal.self])
    }
}

extension Muster.Audit {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash chain and compare with the latest seal.",
            discussion: "Exits 0 when the log verifies, 1 when anything was edited, inserted, removed or reordered.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let report = try await options.database.verifyAudit()
            if options.json {
                try Output.json(AuditView(report: report))
            } else {
                let sealNote =
                    report.seal.map { " Latest seal #\($0.id) of \(Output.date($0.sealedAt)): \($0.hash)" } ?? " No seal yet (muster audit seal)."
                if report.ok {
                    say("OK: \(report.events) events in \(report.streams) streams verify.\(sealNote)")
                } else {
                    say("FAILED: \(report.findings.count) problem(s) in \(report.events) events, \(report.streams) streams.\(sealNote)")
                    Output.table(
                        ["WHAT", "STREAM", "VERSION", "DETAIL"],
                        report.findings.map { [$0.kind.rawValue, $0.stream, "\($0.version)", $0.detail] })
                }
            }
            if !report.ok { throw ExitCode.failure }
        }
    }

    struct Seal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a seal over every stream's head; publish its hash outside the database.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let seal = try await options.database.seal()
            if options.json { return try Output.json(seal) }
            say("sealed #\(seal.id): \(seal.events) events in \(seal.streams) streams at \(Output.date(seal.sealedAt))")
            say("seal hash: \(seal.hash)")
        }
    }
}

struct AuditView: Encodable {
    var ok: Bool
    var streams: Int
    var events: Int
    var findings: [AuditFindingView]
    var seal: SealView?

    struct AuditFindingView: Encodable {
        var kind: String
        var stream: String
        var version: Int
        var detail: String
    }

    struct SealView: Encodable {
        var id: Int64
        var hash: String
        var events: Int64
    }

    init(report: EventLogPostgres.Audit.Report) {
        ok = report.ok
        streams = report.streams
        events = report.events
        findings = report.findings.map { AuditFindingView(kind: $0.kind.rawValue, stream: $0.stream, version: $0.version, detail: $0.detail) }
        seal = report.seal.map { SealView(id: $0.id, hash: $0.hash, events: $0.events) }
    }
}

import ArgumentParser
import EventLog
import EventLogPostgres
import Foundation
import TrainingServices

extension Muster {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Prove the log is complete and unaltered: seal it, sign the seals, verify everything.",
            subcommands: [Verify.self, Seal.self, Keygen.self, Export.self, Access.self])
    }
}

/// Reads a seal key file, saying what to do when it cannot.
func readKeyFile(_ path: String, option: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw UserError("\(option): cannot read \(path); make a key pair with `muster audit keygen --out DIR`")
    }
    return String(decoding: data, as: UTF8.self)
}

extension Muster.Audit {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute every hash chain and check every seal: its chain, its heads, its signature.",
            discussion: """
                Exits 0 when the log verifies, 1 when anything was edited, inserted, removed or reordered.
                With --public-key every seal must be signed by that key (a superuser who rewrites seals cannot sign them);
                with --expect-seal the seal hash you published outside the database must still be in the chain.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "The seal signer's public key file (default: MUSTER_SEAL_PUBLIC_KEY).") var publicKey: String?
        @Option(help: "A seal hash published outside the database (64 hex digits).") var expectSeal: String?

        func run() async throws {
            if let expectSeal, HexBytes.decode(expectSeal)?.count != 32 {
                throw UserError("--expect-seal must be a seal hash of 64 hex digits, as `muster audit seal` prints it")
            }
            let path = publicKey ?? ProcessInfo.processInfo.environment["MUSTER_SEAL_PUBLIC_KEY"]
            let key = try path.map { try SealVerifyingKey(fileText: try readKeyFile($0, option: "--public-key")) }
            let report = try await options.database.verifyAudit(verifyingKey: key, expectedSeal: expectSeal.flatMap(HexBytes.decode))
            if options.json {
                try Output.json(AuditView(report: report))
            } else {
                let sealNote =
                    report.seal.map {
                        " Latest seal #\($0.id) of \(Output.date($0.sealedAt)): \($0.hash)\($0.keyID.map { ", signed by key \($0)" } ?? ", unsigned")."
                    } ?? " No seal yet (muster audit seal)."
                let checked = key == nil ? " Signatures not checked (give --public-key)." : " \(report.seals) seal signatures checked."
                if report.ok {
                    say("OK: \(report.events) events in \(report.streams) streams and \(report.seals) seals verify.\(sealNote)\(checked)")
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
            commandName: "seal",
            abstract: "Record a seal over every stream's head, signed with the key; publish its hash outside the database.",
            discussion: """
                Sealing runs here, on a schedule when --every is given (e.g. --every 15m; Ctrl-C stops it), so it can run
                beside the projector as its own small service with the only copy of the private key.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "The private key file that signs seals (default: MUSTER_SEAL_KEY); unsigned without one.") var key: String?
        @Option(help: "Seal again after this long, until stopped: e.g. 15m, 1h, 30s.") var every: Interval?

        func run() async throws {
            let path = key ?? ProcessInfo.processInfo.environment["MUSTER_SEAL_KEY"]
            let signingKey = try path.map { try SealSigningKey(fileText: try readKeyFile($0, option: "--key")) }
            while true {
                let seal = try await options.database.seal(signingKey: signingKey)
                if options.json {
                    try Output.json(seal)
                } else {
                    say(
                        "sealed #\(seal.id): \(seal.events) events in \(seal.streams) streams at \(Output.date(seal.sealedAt))\(seal.keyID.map { ", signed by key \($0)" } ?? ", unsigned")"
                    )
                    say("seal hash: \(seal.hash)")
                }
                guard let every else { return }
                try await Task.sleep(for: .seconds(every.seconds))
            }
        }
    }

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Make an Ed25519 key pair for signing seals: the private key for the sealer, the public key for anyone verifying.")

        @Option(help: "Folder for muster-seal.key (private, mode 0600) and muster-seal.pub.") var out: String

        func run() throws {
            let folder = URL(fileURLWithPath: out)
            let privatePath = folder.appendingPathComponent("muster-seal.key").path
            let publicPath = folder.appendingPathComponent("muster-seal.pub").path
            guard !FileManager.default.fileExists(atPath: privatePath) else {
                throw UserError(
                    "\(privatePath) already exists; keep it, or move it away to make a new pair (old seals stay verifiable with the old public key)")
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let key = SealSigningKey.generate()
            guard
                FileManager.default.createFile(atPath: privatePath, contents: Data(key.fileText.utf8), attributes: [.posixPermissions: 0o600]),
                FileManager.default.createFile(atPath: publicPath, contents: Data(key.verifyingKey.fileText.utf8))
            else { throw UserError("cannot write the key files in \(out); check the folder's permissions") }
            say("key \(key.verifyingKey.id): private \(privatePath) (keep it off the database server), public \(publicPath)")
        }
    }
}

extension Muster.Audit {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write every event and seal as JSON lines that an outside party can verify with docs/HASH-CHAIN.md alone.",
            discussion: "scripts/verify-export FILE [--public-key muster-seal.pub] is one such independent verifier.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The file to write.") var file: String
        func run() async throws {
            let events = try await options.database.exportAudit(to: file)
            if options.json { return try Output.json(["events": events]) }
            say("exported \(events) events and every seal to \(file)")
        }
    }
}

/// A duration typed as `30s`, `15m` or `2h`.
struct Interval: ExpressibleByArgument, Sendable {
    let seconds: Int

    init?(argument: String) {
        guard let unit = argument.last, let count = Int(argument.dropLast()), count > 0, count <= 100_000 else { return nil }
        switch unit {
        case "s": seconds = count
        case "m": seconds = count * 60
        case "h": seconds = count * 3600
        default: return nil
        }
    }
}

struct AuditView: Encodable {
    var ok: Bool
    var streams: Int
    var events: Int
    var seals: Int
    var signaturesChecked: Bool
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
        var keyID: String?
    }

    init(report: EventLogPostgres.Audit.Report) {
        ok = report.ok
        streams = report.streams
        events = report.events
        seals = report.seals
        signaturesChecked = report.signaturesChecked
        findings = report.findings.map { AuditFindingView(kind: $0.kind.rawValue, stream: $0.stream, version: $0.version, detail: $0.detail) }
        seal = report.seal.map { SealView(id: $0.id, hash: $0.hash, events: $0.events, keyID: $0.keyID) }
    }
}

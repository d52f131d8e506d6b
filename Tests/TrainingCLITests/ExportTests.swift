import EventLogTesting
import Foundation
import Testing

/// The hash-chain spec is precise enough for a second implementation: `scripts/verify-export`
/// (Python, standard library) recomputes every hash of a real export from docs/HASH-CHAIN.md.
@Suite struct ExportTests {
    static let verifier = TestDatabase.schemaDirectory.deletingLastPathComponent().appendingPathComponent("scripts/verify-export").path

    static func verify(_ arguments: [String]) throws -> CLITests.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", verifier] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return CLITests.Run(status: process.terminationStatus, output: text, error: "")
    }

    @Test("an export verifies with the spec's independent implementation; a changed byte or another key does not")
    func independentVerification() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
            #expect(try muster(["seed", "demo"]).status == 0)
            #expect(try muster(["audit", "keygen", "--out", folder.path]).status == 0)
            let seal = try muster(["audit", "seal", "--key", folder.appendingPathComponent("muster-seal.key").path])
            #expect(seal.status == 0, "\(seal.error)")
            let published = try #require(seal.output.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
            let file = folder.appendingPathComponent("log.jsonl").path
            #expect(try muster(["audit", "export", file]).status == 0)
            let publicKey = folder.appendingPathComponent("muster-seal.pub").path
            let good = try Self.verify([file, "--public-key", publicKey, "--expect-seal", published])
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("OK: "))

            // One byte of one payload changed in the export: the independent verifier names it.
            var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
            let index = try #require(lines.firstIndex { $0.contains("field-training.daily-observation-reported") })
            lines[index] = lines[index].replacingOccurrences(of: "\\\"narrative\\\": \\\"", with: "\\\"narrative\\\": \\\"Not so. ")
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let edited = try Self.verify([file])
            #expect(edited.status == 1)
            #expect(edited.output.contains("content does not match its hash"), "\(edited.output)")

            // Someone else's key.
            let other = folder.appendingPathComponent("other")
            #expect(try muster(["audit", "keygen", "--out", other.path]).status == 0)
            let wrongKey = try Self.verify([file, "--public-key", other.appendingPathComponent("muster-seal.pub").path])
            #expect(wrongKey.output.contains("signature does not verify with this key"), "\(wrongKey.output)")
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

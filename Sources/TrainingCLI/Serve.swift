import ArgumentParser
import EventLog
import Foundation
import Logging
import TrainingDomain
import TrainingServer
import TrainingServices

extension Muster {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Run the HTTP API (docs/API.md): sign-in, recording, boards, compliance, the access log.",
            discussion: """
                Listens on --address/--port (MUSTER_ADDRESS, MUSTER_PORT; default 127.0.0.1:8080). Put it behind a TLS proxy \
                (docs/API.md has an nginx example). Second factors are required for the chief and designees unless \
                --no-require-second-factor; they need a secret key: MUSTER_SECRET_KEY or --secret-key-file (make one with --new-secret-key).
                Stops on SIGTERM or SIGINT after finishing the requests under way.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "Address to listen on (default: MUSTER_ADDRESS, else 127.0.0.1).") var address: String?
        @Option(help: "Port (default: MUSTER_PORT, else 8080).") var port: Int?
        @Option(help: "Database connection leases (each two connections).") var poolSize = 8
        @Option(help: "Mark cookies Secure: on, off or auto (auto: on unless listening on loopback).") var secureCookies = "auto"
        @Flag(help: "Send Strict-Transport-Security (when a TLS proxy fronts the server).") var hsts = false
        @Flag(help: "Take client addresses from X-Forwarded-For (only behind a proxy that sets it).") var trustForwardedFor = false
        @Flag(inversion: .prefixedNo, help: "Require a second factor of the chief and designees.") var requireSecondFactor = true
        @Option(help: "File holding the secret key in base64 (default: MUSTER_SECRET_KEY).") var secretKeyFile: String?
        @Option(help: "Seal signing key file, for POST /api/audit/seal.") var sealKey: String?
        @Option(help: "Seal public key file, for GET /api/audit/verify (default: MUSTER_SEAL_PUBLIC_KEY).") var sealPublicKey: String?
        @Option(help: "The schema/ folder, for /ready's migration check (default: MUSTER_SCHEMA_DIR or ./schema).") var schema: String?
        @Flag(help: "Print a new secret key (base64) and exit.") var newSecretKey = false
        @Flag(inversion: .prefixedNo, help: "Keep the read models current in this process (off when `muster projections run --follow` does).")
        var projector = true
        @Flag(
            help: """
                Also serve GET /api/statewide, every agency's summary, read as the statewide role \
                (a standards commission's server; the login must hold muster_state).
                """)
        var statewide = false

        func validate() throws {
            guard ["on", "off", "auto"].contains(secureCookies) else { throw ValidationError("--secure-cookies must be on, off or auto") }
            guard (1...256).contains(poolSize) else { throw ValidationError("--pool-size must be 1 to 256") }
            if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
        }

        func run() async throws {
            if newSecretKey {
                print(SecretKey.generate())
                return
            }
            let environment = ProcessInfo.processInfo.environment
            let host = address ?? environment["MUSTER_ADDRESS"] ?? "127.0.0.1"
            let port =
                try port ?? environment["MUSTER_PORT"].map { text in
                    guard let port = Int(text), (0...65535).contains(port) else { throw UserError("MUSTER_PORT must be a port number, not \(text)") }
                    return port
                } ?? 8080
            var accounts = AccountSettings()
            if let file = secretKeyFile {
                accounts.secretKey = try SecretKey(base64: try readKeyFile(file, option: "--secret-key-file"))
            } else if let key = environment["MUSTER_SECRET_KEY"], !key.isEmpty {
                accounts.secretKey = try SecretKey(base64: key)
            }
            let configuration = ServerConfiguration(
                host: host, port: port, database: options.database, agency: options.database.agency,
                poolSize: poolSize, secureCookies: secureCookies == "auto" ? nil : secureCookies == "on", hsts: hsts,
                trustForwardedFor: trustForwardedFor, requireSecondFactor: requireSecondFactor, accounts: accounts,
                sealKey: try sealKey.map { try SealSigningKey(fileText: try readKeyFile($0, option: "--seal-key")) },
                sealPublicKey: try (sealPublicKey ?? environment["MUSTER_SEAL_PUBLIC_KEY"]).map {
                    try SealVerifyingKey(fileText: try readKeyFile($0, option: "--seal-public-key"))
                }, schemaDirectory: schema, runProjector: projector, statewide: statewide)
            let server: MusterServer
            do {
                server = try MusterServer(configuration: configuration)
            } catch let error as AccountError {
                throw UserError(error.message)
            }
            // An agency nobody is registered in is a mistyped --agency, not a place to serve.
            let agency = configuration.agency
            guard !(try await options.database.withServices { try await $0.training.roster() }).members.isEmpty else {
                throw UserError(
                    "unknown agency \(agency): nobody is registered in it; check --agency or MUSTER_AGENCY, or register its first user "
                        + "with `muster user add ID --name ... --role chief --agency \(agency)`")
            }
            try await server.run()
        }
    }
}

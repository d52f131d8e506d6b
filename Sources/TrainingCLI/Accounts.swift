import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

// Credentials for `muster serve` at the console: enrollment codes and bearer tokens; and the
// compliance reviewer's access log.

/// Account errors print as one line, like every refusal.
func accountCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as AccountError {
        throw UserError(error.message)
    }
}

extension Muster.User {
    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invite",
            abstract: "Print a one-time enrollment code for a user (it expires in 72 hours); they set their password with it.",
            discussion: """
                A sergeant or commander (--as) invites users ranked below them. The very first user, registered with \
                `muster user add`, gets their own code: `muster user invite chief.h --as chief.h`.
                """)
        @OptionGroup var acting: ActingOptions
        @Argument(help: "User id.") var id: OfficerID

        func run() async throws {
            let database = acting.global.database
            let (actor, roster) = try await database.withServices { services in
                (try await services.actor(acting.actingUser), try await services.training.roster())
            }
            let invitation = try await accountCall {
                try await database.withAccounts(settings: AccountSettings(bcryptCost: 4)) { try await $0.invite(id, by: actor, roster: roster) }
            }
            if acting.global.json { return try Output.json(invitation) }
            say("enrollment code for \(id): \(invitation.code)")
            say("valid until \(Output.date(invitation.expiresAt)); give it to them in person; it works once (POST /api/account/enroll)")
        }
    }
}

extension Muster {
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Bearer tokens for programs calling the API: create, list, revoke.", subcommands: [Create.self, List.self, Revoke.self])
    }
}

extension Muster.Token {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a token for the acting user (--as), limited to a role's permissions (and never more than the user's).")
        @OptionGroup var acting: ActingOptions
        @Option(help: "What the token is for.") var name: String
        @Option(help: "The most it may do: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var ceiling: Role
        @Option(help: "Lifetime in days (at most 90).") var days = 90

        func validate() throws {
            guard (1...90).contains(days) else { throw ValidationError("--days must be 1 to 90") }
        }

        func run() async throws {
            let database = acting.global.database
            let (actor, roster) = try await database.withServices { services in
                (try await services.actor(acting.actingUser), try await services.training.roster())
            }
            let token = try await accountCall {
                try await database.withAccounts(settings: AccountSettings(bcryptCost: 4)) {
                    try await $0.createToken(for: actor.id, name: name, ceiling: ceiling, lifetime: TimeInterval(days) * 86_400, roster: roster)
                }
            }
            if acting.global.json { return try Output.json(token) }
            say("token \(token.info.id) for \(actor.id), limited to \(ceiling), until \(Output.date(token.info.expiresAt)):")
            print(token.token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the acting user's tokens (never their secrets).")
        @OptionGroup var acting: ActingOptions

        func run() async throws {
            let database = acting.global.database
            let actor = try await database.withServices { try await $0.actor(acting.actingUser) }
            let tokens = try await database.withAccounts(settings: AccountSettings(bcryptCost: 4)) { try await $0.tokens(of: actor.id) }
            if acting.global.json { return try Output.json(tokens) }
            Output.table(
                ["TOKEN", "NAME", "CEILING", "EXPIRES", "STATUS"],
                tokens.map {
                    [
                        $0.id.uuidString.lowercased(), $0.name, $0.ceiling.rawValue, Output.date($0.expiresAt),
                        $0.revokedAt == nil ? "live" : "revoked",
                    ]
                })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token (its next request is refused).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Token id (a UUID, as `muster token list` shows it).") var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("a token id is a UUID") }
            try await accountCall {
                try await options.database.withAccounts(settings: AccountSettings(bcryptCost: 4)) { try await $0.revokeToken(uuid, of: nil) }
            }
            say("revoked token \(uuid.uuidString.lowercased())")
        }
    }
}

extension Muster.Audit {
    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access",
            abstract: "Who read a person's record through the server: when, which view, from where, with what result.",
            discussion: "For compliance reviewers (--as). --verify checks the access log's hash chain instead (exit 1 when it fails).")
        @OptionGroup var acting: ActingOptions
        @Argument(help: "The person (trainee or officer id); omit with --verify.") var person: String?
        @Option(help: "Rows after this position (paging).") var after: Int64 = 0
        @Option(help: "At most this many rows (1 to 10000).") var limit = 1000
        @Flag(help: "Verify the access log's hash chain.") var verify = false

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
            guard verify || person != nil else { throw ValidationError("name the person, or pass --verify") }
        }

        func run() async throws {
            let database = acting.global.database
            let actor = try await database.withServices { try await $0.actor(acting.actingUser) }
            let action: Permissions.Action = verify ? .accessLogVerify : .accessLogRead
            guard Permissions.access(actor.role, action) == .any else {
                throw UserError("\(actor.id) acting as \(actor.role) may not read the access log; that takes a compliance reviewer")
            }
            if verify {
                let report = try await database.verifyAccessLog()
                if acting.global.json {
                    try Output.json(report)
                } else {
                    say("access log: \(report.rows) rows, \(report.ok ? "verified" : "FAILED")")
                }
                for finding in report.findings { say("  \(finding)") }
                if !report.ok { throw ExitCode(1) }
                return
            }
            let rows = try await database.withAccessLog { try await $0.rows(person: person, after: after, limit: limit) }
            if acting.global.json { return try Output.json(rows) }
            Output.table(
                ["#", "WHEN", "READER", "ROLE", "VIEW", "FROM", "RESULT"],
                rows.map { ["\($0.position)", Output.date($0.readAt), $0.reader, $0.readerRole, $0.view, $0.address, $0.result] })
        }
    }
}

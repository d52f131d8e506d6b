import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

/// `--as NAME`: the acting user (default `MUSTER_USER`), whose registered role is recorded.
struct ActingOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "Acting user (default: MUSTER_USER).")
    var actingUser: String?
}

/// Parses a role name for a command-line option.
func parseRole(_ text: String) throws -> Role {
    guard let role = Role(rawValue: text) else {
        throw ValidationError("unknown role \"\(text)\"; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return role
}

extension Muster {
    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register users and the roles they act in.", subcommands: [Add.self, List.self])
    }
}

extension Muster.User {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a user. The very first user (chief or command staff) registers without --as.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: ActingOptions
        @Argument(help: "User id, e.g. sgt.okafor.") var id: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String

        func validate() throws { _ = try parseRole(role) }

        func run() async throws {
            let services = try await MusterDatabase(url: options.databaseURL).services()
            let by: Actor? =
                if acting.actingUser != nil || !(ProcessInfo.processInfo.environment["MUSTER_USER"] ?? "").isEmpty {
                    try await services.actor(acting.actingUser)
                } else {
                    nil
                }
            try await services.users.add(OfficerID(id), name: name, role: try parseRole(role), by: by, today: services.today)
            await services.close()
            if options.json { return try Output.json(["id": id, "name": name, "role": role]) }
            print("registered \(id) (\(name)) as \(try parseRole(role))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered users.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let services = try await MusterDatabase(url: options.databaseURL).services()
            let users = try await services.users.all().sorted { $0.user < $1.user }
            await services.close()
            if options.json { return try Output.json(users.map { ["id": $0.user.rawValue, "name": $0.name, "role": $0.role.rawValue] }) }
            Output.table(["USER", "NAME", "ROLE"], users.map { [$0.user.rawValue, $0.name, $0.role.description] })
        }
    }
}

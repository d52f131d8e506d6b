import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

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

        @OptionGroup var acting: ActingOptions
        @Argument(help: "User id, e.g. sgt.okafor.") var id: OfficerID
        @Option(help: "Full name.") var name: String
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: Role

        func run() async throws {
            try await acting.global.database.withServices { services in
                let environmentUser = ProcessInfo.processInfo.environment["MUSTER_USER"] ?? ""
                let by: Actor? = acting.actingUser != nil || !environmentUser.isEmpty ? try await services.actor(acting.actingUser) : nil
                if by == nil, !(try await services.training.roster().isEmpty) {
                    throw UserError("users already exist; say who is adding this one with --as NAME (or MUSTER_USER)")
                }
                try await services.training.register(id, name: name, role: role, by: by, provenance: acting.provenance)
            }
            if acting.global.json { return try Output.json(["id": id.rawValue, "name": name, "role": role.rawValue]) }
            say("registered \(id) (\(name)) as \(role)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered users.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let users = try await options.database.withServices { try await $0.training.roster().sorted }
            if options.json { return try Output.json(users.map { ["id": $0.id.rawValue, "name": $0.name, "role": $0.role.rawValue] }) }
            Output.table(["USER", "NAME", "ROLE"], users.map { [$0.id.rawValue, $0.name, $0.role.description] })
        }
    }
}

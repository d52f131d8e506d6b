import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

extension Muster {
    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user",
            abstract: "Register users and the roles they act in; disable, enable, change roles.",
            subcommands: [Add.self, List.self, Disable.self, Enable.self, ChangeRole.self, AppointCoordinator.self, Invite.self])
    }
}

extension Muster.User {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
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
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered users.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let users = try await options.database.withServices { try await $0.training.roster().sorted }
            if options.json {
                return try Output.json(users.map { ["id": $0.id.rawValue, "name": $0.name, "role": $0.role.rawValue, "disabled": "\($0.disabled)"] })
            }
            Output.table(
                ["USER", "NAME", "ROLE", "STATUS"], users.map { [$0.id.rawValue, $0.name, $0.role.description, $0.disabled ? "disabled" : "active"] })
        }
    }
}

extension Muster.User {
    /// One change to the roster, made by the acting manager.
    static func manage(_ acting: ActingOptions, _ make: (Actor) -> RosterCommand) async throws {
        let provenance = acting.provenance
        try await retryingWhenUnreachable(provenance) {
            try await acting.global.database.withServices { services in
                let actor = try await services.actor(acting.actingUser)
                try await services.training.manage(make(actor), by: actor, provenance: provenance)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Disable a user: they neither sign in nor record from now on.")
        @OptionGroup var acting: ActingOptions
        @Argument(help: "User id.") var id: OfficerID
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await Muster.User.manage(acting) { _ in .disable(user: id, reason: reason) }
            say("disabled \(id)")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user again.")
        @OptionGroup var acting: ActingOptions
        @Argument(help: "User id.") var id: OfficerID
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await Muster.User.manage(acting) { _ in .enable(user: id, reason: reason) }
            say("enabled \(id)")
        }
    }

    struct ChangeRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change the role a user acts in.")
        @OptionGroup var acting: ActingOptions
        @Argument(help: "User id.") var id: OfficerID
        @Option(name: .customLong("to"), help: "The new role.") var role: Role
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await Muster.User.manage(acting) { _ in .changeRole(user: id, role: role, reason: reason) }
            say("\(id) now acts as \(role)")
        }
    }

    struct AppointCoordinator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "appoint-coordinator",
            abstract: "Appoint the field training program's supervisor/administrator/coordinator (SAC), as the chief or a designee.")
        @OptionGroup var acting: ActingOptions
        @Argument(help: "User id (a training sergeant or higher).") var id: OfficerID
        @Option(help: "The day the appointment takes effect, YYYY-MM-DD (default: today).") var effective: Day?
        func run() async throws {
            let provenance = acting.provenance
            try await retryingWhenUnreachable(provenance) {
                try await acting.global.database.withServices { services in
                    let actor = try await services.actor(acting.actingUser)
                    try await services.training.manage(
                        .appointCoordinator(user: id, effective: effective ?? services.today), by: actor, provenance: provenance)
                }
            }
            say("\(id) is the program's coordinator")
        }
    }
}

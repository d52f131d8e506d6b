import ArgumentParser
import Foundation
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

extension Muster {
    struct Trainee: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trainee",
            abstract: "A recruit's record: hire, and show current status with readiness.", subcommands: [Hire.self, Show.self])
    }
}

extension Muster.Trainee {
    struct Hire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hire", abstract: "Record a new recruit's hire; prints the trainee id.")

        @OptionGroup var options: ActingOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "Employee or badge number.") var badge: String
        @Option(help: "Hire date, YYYY-MM-DD.") var hireDate: Day
        @Option(help: "Trainee id (default: a new UUID).") var id: TraineeID?

        func run() async throws {
            let trainee = id ?? TraineeID(options.provenance.commandID.uuidString.lowercased())
            try await retryingWhenUnreachable(options.provenance) {
                try await options.global.database.withServices { services in
                    let actor = try await services.actor(options.actingUser)
                    try await services.training.record(
                        .hireRecruit(trainee: trainee, name: name, badge: badge, hireDate: hireDate, agency: services.training.agency),
                        on: .trainee(trainee), by: actor, provenance: options.provenance)
                }
            }
            if options.global.json { return try Output.json(["trainee": trainee.rawValue]) }
            say("hired \(name) (\(badge)) as trainee \(trainee)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "A trainee's status board row: stage, phase, FTOs, remedial items, blockers, coursework (from the read models).",
            discussion: "Reads the projections (run `muster projections run`); for a replay of the record itself use `muster status`.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Trainee id.") var trainee: TraineeID

        func run() async throws {
            guard let view = try await options.database.withReadModels({ try await $0.trainee(trainee.rawValue) }) else {
                throw UserError("no trainee \(trainee) in the read models; check the id, or run `muster projections run`")
            }
            if options.json { return try Output.json(view) }
            say("\(view.name) (\(view.badge)): \(view.stage.replacingOccurrences(of: "_", with: " ")), hired \(view.hiredOn)")
            if view.behind > 0 { say("(the read models are \(view.behind) events behind the log: run `muster projections run`)") }
            for item in view.attention { say("NEEDS ATTENTION: \(item)") }
            if let phase = view.phase {
                say(
                    "phase \(phase), day \(view.daysInPhase ?? 0); FTOs: \(view.ftos.joined(separator: ", ")); DORs: \(view.dorCount), last \(view.lastDOR ?? "none")"
                )
            }
            if let open = view.openRemedial { say("open remedial training: \(open)") }
            if let expected = view.expectedSolo { say("expected solo patrol: \(expected)") }
            if let cleared = view.soloCleared { say("cleared for solo patrol: \(cleared)") }
            if let end = view.probationEnd { say("probation ends: \(end)") }
            if !view.blockers.isEmpty {
                print("")
                Output.table(["SOLO PATROL BLOCKER"], view.blockers.map { [$0] })
            }
            if !view.coursework.isEmpty {
                print("")
                Output.table(["COURSE", "LAST", "STATUS"], view.coursework.map { [$0.type, $0.lastCompleted ?? "-", $0.status] })
            }
        }
    }
}

/// Prints a record's status: stage, phase, readiness gates, coursework, milestones.
func printStatus(_ file: PersonnelFile, policy: TrainingPolicy, on day: Day, json: Bool) throws {
    let readiness = Readiness.evaluate(file, policy: policy, on: day)
    let phase = file.fieldTraining?.currentPhase
    if json {
        return try Output.json(
            StatusView(
                name: file.profile?.name, badge: file.profile?.badge, stage: file.stage.rawValue, asOf: day.description,
                phase: phase?.number, daysInPhase: phase.map { $0.startedOn.distance(to: day) },
                openRemedial: file.fieldTraining?.openRemedial.map { "\($0.category.rawValue) due \($0.due)" } ?? [],
                unreadable: file.unreadable.values.sorted { $0.version < $1.version }.map(\.summary),
                soloGates: readiness.soloPatrol.map { .init(name: $0.name, passed: $0.passed, detail: $0.detail) },
                coursework: readiness.coursework.map { .init(type: $0.type.rawValue, status: $0.currency.label) },
                milestones: readiness.milestones.map { .init(name: $0.name, expected: $0.expected.description) }))
    }
    say("\(file.displayName): \(file.stage.rawValue.replacingOccurrences(of: "_", with: " ")) as of \(day)")
    for entry in file.unreadable.values.sorted(by: { $0.version < $1.version }) {
        say("NEEDS ATTENTION: \(entry.summary); a system administrator must set it aside or confirm it reads again")
    }
    if let phase {
        say("phase \(phase.number), day \(phase.startedOn.distance(to: day)); FTOs: \(phase.ftos.map(\.rawValue).joined(separator: ", "))")
    }
    if let last = file.fieldTraining?.dorsInOrder.last { say("last DOR: \(last.shiftDate) by \(last.fto)") }
    say("\nsolo patrol readiness: \(readiness.readyForSoloPatrol ? "ready" : "not ready")")
    Output.table(["GATE", "OK", "DETAIL"], readiness.soloPatrol.map { [$0.name, $0.passed ? "yes" : "no", $0.detail] })
    print("")
    Output.table(["COURSE", "STATUS"], readiness.coursework.map { [$0.title, $0.currency.label] })
    if !readiness.milestones.isEmpty {
        print("")
        Output.table(["MILESTONE", "EXPECTED"], readiness.milestones.map { [$0.name, $0.expected.description] })
    }
}

struct StatusView: Encodable {
    struct GateView: Encodable {
        var name: String
        var passed: Bool
        var detail: String
    }
    struct CourseView: Encodable {
        var type: String
        var status: String
    }
    struct MilestoneView: Encodable {
        var name: String
        var expected: String
    }
    var name: String?
    var badge: String?
    var stage: String
    var asOf: String
    var phase: Int?
    var daysInPhase: Int?
    var openRemedial: [String]
    var unreadable: [String]
    var soloGates: [GateView]
    var coursework: [CourseView]
    var milestones: [MilestoneView]
}

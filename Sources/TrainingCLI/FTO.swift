import ArgumentParser
import TrainingDomain
import TrainingRecords
import TrainingServices

extension Muster {
    struct FTO: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fto",
            abstract:
                "FTO eligibility (POST Regulation 1004): Basic Certificate, uniformed patrol, the 40-hour course, 3-yearly updates, AB 26 bars.",
            subcommands: [Certificate.self, Patrol.self, Qualify.self, Update.self, Prohibit.self])
    }
}

extension Muster.FTO {
    struct Certificate: OfficerRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "certificate", abstract: "Record the officer's POST Basic Certificate (--date is the award date).")
        @OptionGroup var target: OfficerRecordOptions
        @Option(help: "The certificate number.") var number: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .awardBasicCertificate(certificate: number, on: day) }
    }

    struct Patrol: OfficerRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "patrol",
            abstract: "Record when the officer began general uniformed patrol (an FTO needs at least a year of it).")
        @OptionGroup var target: OfficerRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .startPatrolAssignment(on: day) }
    }

    struct Qualify: OfficerRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "qualify", abstract: "Record the 40-hour FTO course (--date is the course date).")
        @OptionGroup var target: OfficerRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .qualifyFTO(courseDate: day) }
    }

    struct Update: OfficerRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "Record the 24-hour FTO update.")
        @OptionGroup var target: OfficerRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .recordFTOUpdate(date: day) }
    }

    struct Prohibit: OfficerRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "prohibit", abstract: "Bar an officer from training others (AB 26) from --date until --until.")
        @OptionGroup var target: OfficerRecordOptions
        @Option(help: "Last day of the bar, YYYY-MM-DD.") var until: Day
        @Option(help: "Why.") var reason: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .prohibitFTO(from: day, until: until, reason: reason)
        }
    }
}

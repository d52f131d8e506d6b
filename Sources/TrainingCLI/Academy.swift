import ArgumentParser
import TrainingDomain
import TrainingServices

extension Muster {
    struct Academy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "academy",
            abstract: "Academy: enroll, record test results, graduate, recycle.", subcommands: [Enroll.self, Test.self, Graduate.self, Recycle.self])
    }
}

extension Muster.Academy {
    struct Enroll: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "enroll", abstract: "Enroll a recruit in an academy class.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(name: .customLong("class"), help: "Class number.") var classNumber: String
        @Option(help: "Academy name.") var academy: String
        @Option(help: "Class start date YYYY-MM-DD.") var start: Day
        @Option(help: "Where the record comes from (e.g. an import from another presenter).") var source: String?
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .enrollInAcademy(classNumber: classNumber, academy: academy, start: start, source: source)
        }
    }

    struct Test: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "test", abstract: "Record an academy test result (attempts are counted).")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Learning domain, e.g. \"LD 20\".") var domain: String
        @Option(help: "Test within the domain, e.g. written, scenario.") var test: String
        @Flag(exclusivity: .exclusive, help: "Result.") var result: Outcome
        @Option(help: "Score 0–100.") var score: Double?
        @Option(help: "Instructor.") var instructor: String
        @Option(help: "Source of an imported result.") var source: String?

        enum Outcome: String, EnumerableFlag { case pass, fail }

        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .recordAcademyTest(
                test: AcademyTestKey(domain: domain, test: test), passed: result == .pass, score: score, instructor: instructor, on: day,
                source: source)
        }
    }

    struct Graduate: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "graduate", abstract: "Record academy graduation (every required test passed).")
        @OptionGroup var target: TraineeRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .graduateAcademy(on: day) }
    }

    struct Recycle: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "recycle", abstract: "Recycle a recruit into a later class.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(name: .customLong("to-class"), help: "The later class.") var toClass: String
        @Option(help: "Why.") var reason: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .recycleAcademy(toClass: toClass, reason: reason, on: day)
        }
    }
}

import ArgumentParser
import TrainingDomain
import TrainingRecords
import TrainingServices

extension Muster {
    struct Course: RecordingCommand {
        static let configuration = CommandConfiguration(commandName: "course", abstract: "Record a course completion for a trainee or an officer.")
        @OptionGroup var options: RecordOptions
        @Option(help: "Trainee id (or use --officer).") var trainee: TraineeID?
        @Option(help: "Officer id (or use --trainee).") var officer: OfficerID?
        @Option(help: "Course type, e.g. use_of_force, implicit_bias.") var type: String
        @Option(help: "Course title.") var title: String
        @Option(help: "Hours.") var hours: Double
        @Option(help: "Provider.") var provider: String
        @Option(help: "Instructor who reviewed it (required for implicit bias).") var instructor: String?
        @Option(help: "Certificate reference.") var certificate: String?

        func validate() throws {
            guard (trainee == nil) != (officer == nil) else { throw ValidationError("give exactly one of --trainee or --officer") }
        }

        var recordOptions: RecordOptions { options }
        var reference: FileReference {
            switch (trainee, officer) {
            case (let trainee?, _): .trainee(trainee)
            case (_, let officer?): .officer(officer)
            default: preconditionFailure("validate() requires --trainee or --officer")
            }
        }

        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .recordCourse(
                courseType: Category(type), title: title, hours: hours, provider: provider, instructor: instructor, completedOn: day,
                certificateReference: certificate)
        }
    }
}

public import ArgumentParser
public import TrainingDomain

// Command-line forms of the domain's values. Each conformance parses one way and says what it
// expects; ranges are checked by `Bounded`, so no number a user types can trap the process.

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
}

extension Role: ExpressibleByArgument {}
extension SeparationKind: ExpressibleByArgument {}
extension ReviewOutcome: ExpressibleByArgument {}
extension PhaseRecommendation: ExpressibleByArgument {}

extension Identifier: ExpressibleByArgument {
    /// Letters, digits and `. _ : -`, 1 to 100 of them (ids name streams, URLs and files).
    public init?(argument: String) {
        guard OfficerID(argument).isWellFormedUserID else { return nil }
        self.init(argument)
    }
}

/// A whole number the user types, checked against a range with its own message (negative
/// numbers included: options that take one parse `.unconditional`ly, so `-5` is a value, not
/// an option).
struct Bounded<Bounds: NumberBounds>: ExpressibleByArgument, Sendable {
    let value: Int

    init(_ value: Int) { self.value = value }

    init?(argument: String) {
        guard let value = Int(argument) else { return nil }
        self.value = value
    }

    /// Throws, naming the option, when the value is out of range.
    func checked(_ option: String) throws -> Int {
        guard Bounds.range.contains(value) else {
            if value < 0 {
                throw ValidationError("\(option) must not be negative (\(value)); give \(Bounds.range.lowerBound) to \(Bounds.range.upperBound)")
            }
            throw ValidationError("\(option) must be \(Bounds.range.lowerBound) to \(Bounds.range.upperBound), not \(value)")
        }
        return value
    }
}

protocol NumberBounds: Sendable { static var range: ClosedRange<Int> { get } }
enum RowLimit: NumberBounds { static let range = 1...100_000 }
enum Openings: NumberBounds { static let range = 1...100_000 }
enum PhaseNumber: NumberBounds { static let range = 1...52 }
enum WeekCount: NumberBounds { static let range = 1...52 }
enum MonthCount: NumberBounds { static let range = 1...120 }
enum AgencyCount: NumberBounds { static let range = 1...10_000 }
enum PeopleCount: NumberBounds { static let range = 1...10_000_000 }
enum StreamVersion: NumberBounds { static let range = 1...Int(Int32.max) }

/// A window of days: `90d` or `90`, 0 to 100 years. Any text parses; `checked` says what is
/// wrong with it, in words, naming the option.
struct DayWindow: ExpressibleByArgument, Sendable {
    static let maximum = 36_500
    let text: String

    init?(argument: String) { text = argument }

    var days: Int { Int(text.hasSuffix("d") ? String(text.dropLast()) : text) ?? 0 }

    var defaultValueDescription: String { text }

    func checked(_ option: String) throws -> Int {
        guard let days = Int(text.hasSuffix("d") ? String(text.dropLast()) : text) else {
            throw ValidationError("\(option) must be a number of days, e.g. 90d, not \"\(text.prefix(40))\"")
        }
        guard days >= 0 else { throw ValidationError("\(option) must not be negative (\(days)d); give a number of days, e.g. 90d") }
        guard days <= Self.maximum else { throw ValidationError("\(option) must be at most \(Self.maximum) days (100 years), not \(days)") }
        return days
    }
}

/// One rating on a Daily Observation Report: 1 (unacceptable) … 4 (acceptable) … 7 (superior),
/// or one of the two marks.
public enum Rating: Hashable, Sendable, Codable, CustomStringConvertible {
    case score(Int)
    case notObserved
    case notRespondingToTraining

    public static let notObservedText = "N/O"
    public static let notRespondingText = "NRT"

    /// Parses `1`…`7`, `N/O` (or `NO`) and `NRT`; `nil` otherwise (the range is checked by rules).
    public init?(text: String) {
        switch text.uppercased() {
        case "N/O", "NO", "NOT_OBSERVED": self = .notObserved
        case "NRT", "NOT_RESPONDING": self = .notRespondingToTraining
        default:
            guard let value = Int(text) else { return nil }
            self = .score(value)
        }
    }

    public var description: String {
        switch self {
        case .score(let value): "\(value)"
        case .notObserved: Self.notObservedText
        case .notRespondingToTraining: Self.notRespondingText
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .score(value)
        } else {
            let text = try container.decode(String.self)
            guard let rating = Rating(text: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a rating")
            }
            self = rating
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .score(let value): try container.encode(value)
        case .notObserved: try container.encode(Self.notObservedText)
        case .notRespondingToTraining: try container.encode(Self.notRespondingText)
        }
    }
}

/// How a person left the department.
public enum SeparationKind: String, Hashable, Sendable, Codable, CaseIterable {
    case resigned, released, terminated
    case failedAcademy = "failed_academy"
    case retired
}

/// A probation review's outcome.
public enum ReviewOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    case satisfactory
    case needsImprovement = "needs_improvement"
    case unsatisfactory
}

import ArgumentParser
import EventLog
import Foundation
import TrainingDomain
import TrainingServices

/// Options every recording command shares.
struct RecordOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @OptionGroup var acting: ActingOptions
    @Option(help: "The day it happened, YYYY-MM-DD (default: today).") var date: String?

    func validate() throws {
        if let date { _ = try parseDay(date, "--date") }
    }

    func day(_ services: Services) throws -> Day { try date.map { try parseDay($0, "--date") } ?? services.today }
}

/// Opens the services, resolves the acting user, records the command and prints what was recorded.
func perform(
    _ options: RecordOptions, on reference: FileReference, _ make: (Services, Day, Actor) throws -> TrainingCommand
) async throws {
    let services = try await MusterDatabase(url: options.global.databaseURL).services()
    do {
        let actor = try await services.actor(options.acting.actingUser)
        let command = try make(services, try options.day(services), actor)
        let events = try await services.training.record(command, on: reference, by: actor)
        await services.close()
        if options.global.json {
            return try Output.json(events.map { ["entry": $0.id.uuidString.lowercased(), "type": $0.type, "version": "\($0.version)"] })
        }
        for event in events {
            print("recorded \(event.type) on \(reference) as \(actor) (entry \(event.id.uuidString.lowercased()))")
        }
    } catch {
        await services.close()
        throw error
    }
}

/// Reads DOR ratings from `category=rating` options and/or a JSON object or CSV file.
/// A file is all or nothing: one bad row and nothing is recorded.
func parseRatings(_ pairs: [String], file: String?) throws -> [Category: Rating] {
    var ratings: [Category: Rating] = [:]
    func add(_ category: String, _ text: String, _ place: String) throws {
        let category = category.trimmingCharacters(in: .whitespaces)
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !category.isEmpty, let rating = Rating(text: text) else {
            throw UserError("\(place): rating \"\(text)\" for \"\(category)\" must be 1–7, N/O or NRT")
        }
        guard ratings[Category(category)] == nil else { throw UserError("\(place): \(category) is rated twice") }
        ratings[Category(category)] = rating
    }
    for pair in pairs {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw UserError("--rating \"\(pair)\" must be CATEGORY=RATING, e.g. report_writing=4") }
        try add(parts[0], parts[1], "--rating")
    }
    if let file {
        guard let data = FileManager.default.contents(atPath: file) else { throw UserError("--ratings-file: cannot read \(file)") }
        let text = String(decoding: data, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw UserError("--ratings-file: \(file) is not a JSON object of category: rating")
            }
            for (category, value) in object.sorted(by: { $0.key < $1.key }) { try add(category, "\(value)", "\(file)") }
        } else {
            for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
                let columns = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if index == 0 && columns.first?.lowercased() == "category" { continue }
                guard columns.count == 2 else {
                    throw UserError("\(file) line \(index + 1): expected category,rating but found \(columns.count) fields; nothing was recorded")
                }
                try add(columns[0], columns[1], "\(file) line \(index + 1)")
            }
        }
    }
    guard !ratings.isEmpty else { throw UserError("give ratings with --rating CATEGORY=RATING or --ratings-file FILE") }
    return ratings
}

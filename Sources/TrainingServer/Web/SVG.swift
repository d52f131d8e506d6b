import Foundation
import TrainingProjections

/// Charts drawn on the server as inline SVG (no script, no external image): every text in them
/// is escaped here, so a page may include the result unescaped.
enum SVG {
    /// Horizontal bars, one per label, with an optional target line (e.g. openings to fill).
    static func bars(_ label: String, _ rows: [(String, Int)], target: Int? = nil, unit: String = "") -> String {
        let width = 360.0
        let labelWidth = 130.0
        let row = 24.0
        let height = Double(max(rows.count, 1)) * row + 24
        let top = Double(max(rows.map(\.1).max() ?? 0, target ?? 0, 1))
        let scale = (width - labelWidth - 40) / top
        var svg = open(label, width: width, height: height)
        for (index, (name, value)) in rows.enumerated() {
            let y = Double(index) * row + 4
            svg += text(x: labelWidth - 6, y: y + 15, name, anchor: "end")
            svg += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(f(Double(value) * scale))\" height=\"\(row - 8)\"/>"
            svg += text(x: labelWidth + Double(value) * scale + 4, y: y + 15, "\(value)\(unit)")
        }
        if let target {
            let x = labelWidth + Double(target) * scale
            svg += "<line class=\"target\" x1=\"\(f(x))\" y1=\"0\" x2=\"\(f(x))\" y2=\"\(f(height - 16))\"/>"
            svg += text(x: x, y: height - 4, "target \(target)", anchor: "middle")
        }
        return svg + "</svg>"
    }

    /// Vertical bars by month (cumulative), with a horizontal target line.
    static func months(_ label: String, _ columns: [(String, Int)], target: Int) -> String {
        let width = 360.0
        let height = 200.0
        let base = 170.0
        let left = 28.0
        let top = Double(max(columns.map(\.1).max() ?? 0, target, 1))
        let scale = (base - 10) / top
        let step = (width - left) / Double(max(columns.count, 1))
        var svg = open(label, width: width, height: height)
        svg += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(base)\" x2=\"\(width)\" y2=\"\(base)\"/>"
        for (index, (name, value)) in columns.enumerated() {
            let x = left + Double(index) * step
            let h = Double(value) * scale
            svg += "<rect class=\"bar\" x=\"\(f(x + 2))\" y=\"\(f(base - h))\" width=\"\(f(max(step - 4, 1)))\" height=\"\(f(h))\"/>"
            svg += text(x: x + step / 2, y: base - h - 3, "\(value)", anchor: "middle", small: true)
            if columns.count <= 12 || index % 3 == 0 { svg += text(x: x + step / 2, y: base + 14, name, anchor: "middle", small: true) }
        }
        let y = base - Double(target) * scale
        svg += "<line class=\"target\" x1=\"\(left)\" y1=\"\(f(y))\" x2=\"\(width)\" y2=\"\(f(y))\"/>"
        svg += text(x: width - 2, y: y + 12, "openings to fill: \(target)", anchor: "end")
        return svg + "</svg>"
    }

    /// The DOR tracking sheet of one phase: categories × shifts coloured by rating, and each
    /// category's scores as a small trend line with its trend word.
    static func trackingSheet(_ phase: ReadModelQueries.TrackingSheet.Phase) -> String {
        let labelWidth = 210.0
        let cell = 18.0
        let trendWidth = 120.0
        let width = labelWidth + Double(max(phase.shifts.count, 1)) * cell + trendWidth
        let height = Double(phase.categories.count) * cell + 30
        var svg = open("DOR tracking sheet, phase \(phase.phase)", width: width, height: height)
        for (column, shift) in phase.shifts.enumerated() where column % 5 == 0 {
            svg += text(x: labelWidth + Double(column) * cell + 2, y: 12, String(shift.suffix(5)), small: true)
        }
        for (index, row) in phase.categories.enumerated() {
            let y = Double(index) * cell + 18
            svg += text(x: labelWidth - 4, y: y + 13, WebCall.label(row.category), anchor: "end", small: true)
            var points: [String] = []
            for (column, rating) in row.ratings.enumerated() {
                let x = labelWidth + Double(column) * cell
                svg += "<rect class=\"cell \(cellClass(rating))\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(cell - 1)\" height=\"\(cell - 1)\">"
                svg +=
                    "<title>\(HTML.escape("\(row.category) \(phase.shifts[safe: column] ?? ""): \(rating.isEmpty ? "blank" : rating)"))</title></rect>"
                if let score = Int(rating) {
                    points.append(
                        "\(f(Double(column) / Double(max(row.ratings.count - 1, 1)) * 60)),\(f(y + cell - 2 - Double(score - 1) / 6 * (cell - 4)))")
                }
            }
            let x0 = labelWidth + Double(phase.shifts.count) * cell + 6
            if points.count > 1 {
                svg += "<polyline class=\"trend\" transform=\"translate(\(f(x0)) 0)\" points=\"\(points.joined(separator: " "))\"/>"
            }
            svg += text(x: x0 + 64, y: y + 13, trendWord(row.trend), small: true)
        }
        return svg + "</svg>"
    }

    static func cellClass(_ rating: String) -> String {
        switch rating {
        case "1", "2", "3": "low"
        case "4": "ok"
        case "5", "6", "7": "high"
        case "N/O": "no"
        case "NRT": "nrt"
        default: "blank"
        }
    }

    static func trendWord(_ trend: String) -> String {
        switch trend {
        case "improving": "↑ improving"
        case "declining": "↓ declining"
        case "steady": "→ steady"
        default: "· too few"
        }
    }

    static func open(_ label: String, width: Double, height: Double) -> String {
        let title = HTML.escape(label)
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"\(title)\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\"><title>\(title)</title>"
    }

    static func text(x: Double, y: Double, _ content: String, anchor: String = "start", small: Bool = false) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\"\(small ? " class=\"small\"" : "")>\(HTML.escape(content))</text>"
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

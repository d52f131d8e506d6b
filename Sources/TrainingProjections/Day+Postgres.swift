public import Postgres
public import TrainingDomain

/// Dates come back from the read models as `date` columns (binary: days since 2000-01-01).
extension Day: PostgresDecodable {
    static let postgresDateOID: UInt32 = 1082
    static let daysFrom1970To2000 = 10_957

    public init(cell: PostgresCell) throws {
        if cell.isBinary, cell.type == Self.postgresDateOID, cell.bytes.count == 4 {
            self.init(daysSince1970: Int(cell.bigEndian(Int32.self)) + Self.daysFrom1970To2000)
        } else if !cell.isBinary || cell.type == PostgresOID.text, let day = Day(cell.text) {
            self = day
        } else {
            throw PostgresError(code: .decoding, message: "column #\(cell.column): type OID \(cell.type) is not a date")
        }
    }
}

import FulcrumAPITypes
import FulcrumStore

extension StatsBody {
    /// The body for statistics summed by the store.
    init(_ totals: StatisticsTotals) {
        self.init(
            bytesIn: Int(totals.bytesIn), bytesOut: Int(totals.bytesOut),
            activeConnections: Int(totals.activeConnections),
            totalConnections: Int(totals.totalConnections), requestErrors: Int(totals.requestErrors))
    }
}

import Tensor

/// The backbones a recipe can name (`Recipe.model`), by their command-line and JSON names.
public enum Backbone: String, ListedChoice, Sendable {
    /// LDAM-DRW's ResNet-32 (`ResNet.Configuration.resnet32`).
    case resnet32
    /// GLMC's wide ResNet-32, 64/128/256 channels (`ResNet.Configuration.resnet32GLMC`).
    case resnet32GLMC = "resnet32-glmc"
    /// The BCE3S code's ResNet-34-CIFAR (`ResNet.Configuration.resnet34CIFAR`).
    case resnet34
    /// ResNet-32's family with one block per stage (`ResNet.Configuration.small`): tests and smoke runs.
    case small

    /// The network's shape.
    public var configuration: ResNet.Configuration {
        switch self {
        case .resnet32: return .resnet32
        case .resnet32GLMC: return .resnet32GLMC
        case .resnet34: return .resnet34CIFAR
        case .small: return .small
        }
    }
}

class M(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  stem : __torch__.torch.nn.modules.container.Sequential
  block1 : __torch__.make_demo_model.BasicBlock
  block2 : __torch__.make_demo_model.___torch_mangle_18.BasicBlock
  pool : __torch__.torch.nn.modules.pooling.AdaptiveAvgPool2d
  classifier : __torch__.torch.nn.modules.linear.___torch_mangle_19.Linear
  def forward(self: __torch__.make_demo_model.DemoCNN,
    image: Tensor) -> Tensor:
    classifier = self.classifier
    pool = self.pool
    block2 = self.block2
    block1 = self.block1
    stem = self.stem
    _0 = (block1).forward((stem).forward(image, ), )
    _1 = (pool).forward((block2).forward(_0, ), )
    input = torch.flatten(_1, 1)
    return (classifier).forward(input, )
class BasicBlock(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  conv1 : __torch__.torch.nn.modules.conv.___torch_mangle_2.Conv2d
  bn1 : __torch__.torch.nn.modules.batchnorm.___torch_mangle_3.BatchNorm2d
  relu : __torch__.torch.nn.modules.activation.___torch_mangle_4.ReLU
  conv2 : __torch__.torch.nn.modules.conv.___torch_mangle_5.Conv2d
  bn2 : __torch__.torch.nn.modules.batchnorm.___torch_mangle_6.BatchNorm2d
  downsample : __torch__.torch.nn.modules.container.___torch_mangle_9.Sequential
  def forward(self: __torch__.make_demo_model.BasicBlock,
    argument_1: Tensor) -> Tensor:
    bn2 = self.bn2
    conv2 = self.conv2
    relu = self.relu
    bn1 = self.bn1
    conv1 = self.conv1
    downsample = self.downsample
    _2 = (downsample).forward(argument_1, )
    _3 = (bn1).forward((conv1).forward(argument_1, ), )
    _4 = (conv2).forward((relu).forward(_3, ), )
    input = torch.add((bn2).forward(_4, ), _2)
    return (relu).forward1(input, )

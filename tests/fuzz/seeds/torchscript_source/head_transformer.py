class M(Module):
  __parameters__ = ["position", ]
  __buffers__ = ["bias", ]
  position : Tensor
  bias : Tensor
  training : bool
  _is_full_backward_hook : Optional[bool]
  embed : __torch__.torch.nn.modules.sparse.Embedding
  layers : __torch__.torch.nn.modules.container.___torch_mangle_56.ModuleList
  norm : __torch__.torch.nn.modules.normalization.___torch_mangle_57.LayerNorm
  head : __torch__.torch.nn.modules.linear.___torch_mangle_58.Linear
  def forward(self: __torch__.gen_graph_models.Transformer,
    ids: Tensor) -> Tensor:
    head = self.head
    norm = self.norm
    layers = self.layers
    _2 = getattr(layers, "2")
    layers0 = self.layers
    _1 = getattr(layers0, "1")
    bias = self.bias
    layers1 = self.layers
    _0 = getattr(layers1, "0")
    position = self.position
    embed = self.embed
    input = torch.add((embed).forward(ids, ), position)
    _3 = (_1).forward(bias, (_0).forward(bias, input, ), )
    _4 = (norm).forward((_2).forward(bias, _3, ), )
    return (head).forward(_4, )
class Layer(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  norm1 : __torch__.torch.nn.modules.normalization.LayerNorm
  attn : __torch__.gen_graph_models.Attention
  norm2 : __torch__.torch.nn.modules.normalization.___torch_mangle_11.LayerNorm
  fc1 : __torch__.torch.nn.modules.linear.___torch_mangle_12.Linear
  act : __torch__.torch.nn.modules.activation.GELU
  fc2 : __torch__.torch.nn.modules.linear.___torch_mangle_13.Linear
  def forward(self: __torch__.gen_graph_models.Layer,
    bias: Tensor,
    input: Tensor) -> Tensor:
    fc2 = self.fc2
    act = self.act
    fc1 = self.fc1
    norm2 = self.norm2
    attn = self.attn
    norm1 = self.norm1
    _2 = (attn).forward(bias, (norm1).forward(input, ), )
    input0 = torch.add(input, _2)
    _3 = (fc1).forward((norm2).forward(input0, ), )
    _4 = (fc2).forward((act).forward(_3, ), )
    return torch.add(input0, _4)
class Attention(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  heads : __torch__.torch.nn.modules.container.ModuleList
  out : __torch__.torch.nn.modules.linear.___torch_mangle_10.Linear
  def forward(self: __torch__.gen_graph_models.Attention,
    bias: Tensor,
    argument_2: Tensor) -> Tensor:
    out = self.out
    heads = self.heads
    _2 = getattr(heads, "2")
    heads0 = self.heads
    _1 = getattr(heads0, "1")
    heads1 = self.heads
    _0 = getattr(heads1, "0")
    _5 = [(_0).forward(bias, argument_2, ), (_1).forward(bias, argument_2, ), (_2).forward(bias, argument_2, )]
    input = torch.cat(_5, -1)
    return (out).forward(input, )
class Head(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  q : __torch__.torch.nn.modules.linear.Linear
  k : __torch__.torch.nn.modules.linear.___torch_mangle_0.Linear
  v : __torch__.torch.nn.modules.linear.___torch_mangle_1.Linear
  def forward(self: __torch__.gen_graph_models.Head,
    bias: Tensor,
    argument_2: Tensor) -> Tensor:
    v = self.v
    k = self.k
    q = self.q
    _6 = (q).forward(argument_2, )
    _7 = torch.transpose((k).forward(argument_2, ), -2, -1)
    scores = torch.mul(torch.matmul(_6, _7), CONSTANTS.c0)
    _8 = torch.softmax(torch.add(scores, bias), -1)
    _9 = torch.matmul(_8, (v).forward(argument_2, ))
    return _9

#include "jit/sem_library.h"

#include <cstddef>
#include <unordered_set>

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

namespace lpar::jit {

namespace {

const char* const sem_names[isa::NUM_OPS] = {
#define INSN(id, mn, pat, ops, fl) "lpar_sem_" #id,
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
    "lpar_sem_invalid",
};

// Global values a constant mentions (through casts, GEPs, aggregates).
void collect(const llvm::Constant* c, std::vector<const llvm::GlobalValue*>& out,
             std::unordered_set<const llvm::Constant*>& seen) {
  if (!seen.insert(c).second) return;
  if (auto* gv = llvm::dyn_cast<llvm::GlobalValue>(c)) {
    out.push_back(gv);
    return;
  }
  for (const llvm::Use& u : c->operands())
    if (auto* k = llvm::dyn_cast<llvm::Constant>(u.get())) collect(k, out, seen);
}

// An external declaration of gv in m (vmap learns it).
llvm::GlobalValue* declare(llvm::Module& m, const llvm::GlobalValue& gv, llvm::ValueToValueMapTy& vmap) {
  llvm::GlobalValue* d;
  if (auto* f = llvm::dyn_cast<llvm::Function>(&gv)) {
    auto* nf = llvm::Function::Create(f->getFunctionType(), llvm::GlobalValue::ExternalLinkage, f->getName(), m);
    nf->copyAttributesFrom(f);
    d = nf;
  } else {
    auto* g = llvm::cast<llvm::GlobalVariable>(&gv);
    auto* ng = new llvm::GlobalVariable(m, g->getValueType(), g->isConstant(), llvm::GlobalValue::ExternalLinkage, nullptr,
                                        g->getName());
    ng->copyAttributesFrom(g);
    d = ng;
  }
  d->setLinkage(llvm::GlobalValue::ExternalLinkage);
  if (auto* go = llvm::dyn_cast<llvm::GlobalObject>(d)) go->setComdat(nullptr);
  d->setVisibility(llvm::GlobalValue::DefaultVisibility);
  vmap[&gv] = d;
  return d;
}

// Give nf (declared by declare()) the body of f.
void define(llvm::Function& nf, const llvm::Function& f, llvm::ValueToValueMapTy& vmap) {
  auto dst = nf.arg_begin();
  for (const llvm::Argument& a : f.args()) {
    dst->setName(a.getName());
    vmap[&a] = &*dst++;
  }
  llvm::SmallVector<llvm::ReturnInst*, 4> rets;
  llvm::CloneFunctionInto(&nf, &f, vmap, llvm::CloneFunctionChangeType::DifferentModule, rets);
  nf.setComdat(nullptr);
}

}  // namespace

SemLibrary::SemLibrary(std::unique_ptr<llvm::Module> m) : sem_(std::move(m)), by_op_(isa::NUM_OPS) {
  for (unsigned k = 0; k < isa::NUM_OPS; ++k) {
    by_op_[k] = sem_->getFunction(sem_names[k]);
    if (!by_op_[k] || by_op_[k]->isDeclaration()) missing_ += std::string(missing_.empty() ? "" : " ") + sem_names[k];
  }
  // Each definition is linked once into the JIT under its own name.
  for (llvm::GlobalValue& gv : sem_->global_values()) {
    if (gv.isDeclaration()) continue;
    gv.setLinkage(llvm::GlobalValue::ExternalLinkage);
    gv.setVisibility(llvm::GlobalValue::DefaultVisibility);
    if (auto* go = llvm::dyn_cast<llvm::GlobalObject>(&gv)) go->setComdat(nullptr);
  }
}

std::unique_ptr<llvm::Module> SemLibrary::empty_module(const std::string& name) const {
  auto m = std::make_unique<llvm::Module>(name, sem_->getContext());
  m->setDataLayout(sem_->getDataLayout());
  m->setTargetTriple(sem_->getTargetTriple());
  return m;
}

const std::vector<const llvm::GlobalValue*>& SemLibrary::refs(const llvm::Function& f) {
  auto it = refs_.find(&f);
  if (it != refs_.end()) return it->second;
  std::vector<const llvm::GlobalValue*> out;
  std::unordered_set<const llvm::Constant*> seen;
  if (f.hasPersonalityFn()) collect(f.getPersonalityFn(), out, seen);
  for (const llvm::BasicBlock& bb : f)
    for (const llvm::Instruction& in : bb)
      for (const llvm::Use& u : in.operands())
        if (auto* c = llvm::dyn_cast<llvm::Constant>(u.get())) collect(c, out, seen);
  return refs_.emplace(&f, std::move(out)).first->second;
}

std::unique_ptr<llvm::Module> SemLibrary::globals_module() {
  auto m = empty_module("lpar_sem_globals");
  llvm::ValueToValueMapTy vmap;
  for (const llvm::GlobalVariable& g : sem_->globals()) declare(*m, g, vmap);
  for (const llvm::GlobalVariable& g : sem_->globals()) {
    if (!g.hasInitializer()) continue;
    // Initializers naming functions would need those declared; the tables are plain data.
    auto* ng = llvm::cast<llvm::GlobalVariable>(vmap[&g]);
    std::vector<const llvm::GlobalValue*> named;
    std::unordered_set<const llvm::Constant*> seen;
    collect(g.getInitializer(), named, seen);
    for (const llvm::GlobalValue* gv : named)
      if (!vmap.count(gv)) declare(*m, *gv, vmap);
    ng->setInitializer(llvm::MapValue(g.getInitializer(), vmap));
  }
  return m;
}

std::unique_ptr<llvm::Module> SemLibrary::helper_module(const llvm::Function& f) {
  auto m = empty_module(f.getName().str());
  llvm::ValueToValueMapTy vmap;
  auto* nf = llvm::cast<llvm::Function>(declare(*m, f, vmap));
  for (const llvm::GlobalValue* gv : refs(f))
    if (!vmap.count(gv)) declare(*m, *gv, vmap);
  define(*nf, f, vmap);
  return m;
}

std::unique_ptr<llvm::Module> SemLibrary::block_module(const Block& b, Block* const* slot, const std::string& name,
                                                       std::vector<const llvm::Function*>& helpers) {
  auto m = empty_module(name);
  llvm::ValueToValueMapTy vmap;
  // The entry points, private and always inlined; what they name, declared.
  std::vector<const llvm::Function*> entries;
  for (u32 k = 0; k < b.count; ++k) {
    const llvm::Function* f = by_op_[static_cast<unsigned>(b.insns[k].op)];
    if (vmap.count(f)) continue;
    declare(*m, *f, vmap);
    entries.push_back(f);
  }
  std::unordered_set<const llvm::Function*> seen(entries.begin(), entries.end());
  std::vector<const llvm::Function*> work;
  for (const llvm::Function* f : entries)
    for (const llvm::GlobalValue* gv : refs(*f)) {
      if (!vmap.count(gv)) declare(*m, *gv, vmap);
      auto* h = llvm::dyn_cast<llvm::Function>(gv);
      if (h && !h->isDeclaration() && seen.insert(h).second) work.push_back(h);
    }
  for (const llvm::Function* f : entries) {
    auto* nf = llvm::cast<llvm::Function>(vmap[f]);
    define(*nf, *f, vmap);  // (copies f's attributes)
    nf->setLinkage(llvm::GlobalValue::InternalLinkage);
    nf->removeFnAttr(llvm::Attribute::NoInline);
    nf->removeFnAttr(llvm::Attribute::OptimizeNone);
    nf->addFnAttr(llvm::Attribute::AlwaysInline);
  }
  // Shared functions reachable from here, for the engine to provide.
  while (!work.empty()) {
    const llvm::Function* h = work.back();
    work.pop_back();
    helpers.push_back(h);
    for (const llvm::GlobalValue* gv : refs(*h))
      if (auto* g = llvm::dyn_cast<llvm::Function>(gv); g && !g->isDeclaration() && seen.insert(g).second)
        work.push_back(g);
  }

  llvm::LLVMContext& ctx = m->getContext();
  llvm::Type* i8 = llvm::Type::getInt8Ty(ctx);
  llvm::Type* i64 = llvm::Type::getInt64Ty(ctx);
  llvm::PointerType* ptr = llvm::PointerType::getUnqual(ctx);
  llvm::FunctionType* handler_ty = llvm::FunctionType::get(i8, {ptr, ptr}, false);
  llvm::Function* blk = llvm::Function::Create(handler_ty, llvm::GlobalValue::ExternalLinkage, name, *m);
  blk->addRetAttr(llvm::Attribute::ZExt);
  // Same code generation options as the semantic functions (target CPU and
  // features): the block runs the very code the bitcode describes.
  const llvm::Function* first = entries.front();
  for (const char* a : {"target-cpu", "target-features", "tune-cpu", "frame-pointer"})
    if (first->hasFnAttribute(a)) blk->addFnAttr(first->getFnAttribute(a));
  if (first->hasFnAttribute(llvm::Attribute::UWTable)) blk->addFnAttr(first->getFnAttribute(llvm::Attribute::UWTable));
  llvm::Argument* s = blk->getArg(0);
  llvm::Argument* d = blk->getArg(1);

  llvm::IRBuilder<> ir(llvm::BasicBlock::Create(ctx, "entry", blk));
  // Threaded-handler exit: tail-call the handler of d[k] (the next
  // instruction, or block_end), exactly as the interpreter's handler would.
  auto tail_call = [&](u32 k) {
    llvm::Value* next = ir.CreateConstInBoundsGEP1_64(i8, d, u64{k} * sizeof(DecodedInsn));
    llvm::Value* fn = ir.CreateLoad(ptr, ir.CreateConstInBoundsGEP1_64(i8, next, offsetof(DecodedInsn, fn)));
    llvm::CallInst* c = ir.CreateCall(handler_ty, fn, {s, next});
    c->addRetAttr(llvm::Attribute::ZExt);
    c->setTailCallKind(llvm::CallInst::TCK_MustTail);
    ir.CreateRet(c);
  };
  auto field = [&](size_t off) { return ir.CreateConstInBoundsGEP1_64(i8, s, off); };
  auto host_ptr = [&](const void* p) { return ir.CreateIntToPtr(ir.getInt64(reinterpret_cast<uintptr_t>(p)), ptr); };
  llvm::Value* nip = field(offsetof(CpuState, nip));
  auto* top = llvm::BasicBlock::Create(ctx, "top", blk);
  ir.CreateBr(top);
  ir.SetInsertPoint(top);
  // The last instruction jumped: block_end's steps for the case where the
  // block it would chain to is this one (same checks, same order).
  auto chain_or_loop = [&]() {
    // code_addr_cached() and Interpreter::key_of() (cpu/memory.h, interp.h):
    // the ITLB entry of nip must hold it and lead back to this block's key.
    llvm::Value* nipv = ir.CreateLoad(i64, nip);
    llvm::Value* idx = ir.CreateAnd(ir.CreateLShr(nipv, PAGE_SHIFT), ir.getInt64(ITLB_ENTRIES - 1));
    llvm::Value* entry = ir.CreateInBoundsGEP(
        i8, field(offsetof(CpuState, itlb)), ir.CreateMul(idx, ir.getInt64(sizeof(ItlbEntry))));
    llvm::Value* tag = ir.CreateLoad(i64, ir.CreateConstInBoundsGEP1_64(i8, entry, offsetof(ItlbEntry, tag)));
    llvm::Value* addend = ir.CreateLoad(i64, ir.CreateConstInBoundsGEP1_64(i8, entry, offsetof(ItlbEntry, addend)));
    llvm::Value* le = ir.CreateZExt(ir.CreateICmpNE(ir.CreateLoad(i8, field(offsetof(CpuState, le))), ir.getInt8(0)), i64);
    llvm::Value* same = ir.CreateICmpEQ(tag, ir.CreateAnd(nipv, ir.getInt64(PAGE_MASK)));
    same = ir.CreateAnd(same, ir.CreateICmpEQ(ir.CreateOr(ir.CreateAdd(nipv, addend), le), ir.getInt64(b.key)));
    same = ir.CreateAnd(same, ir.CreateICmpEQ(ir.CreateLoad(ptr, host_ptr(slot)), host_ptr(&b)));
    auto* loop_bb = llvm::BasicBlock::Create(ctx, "self", blk);
    auto* chain_bb = llvm::BasicBlock::Create(ctx, "chain", blk);
    auto* stop_bb = llvm::BasicBlock::Create(ctx, "stop", blk);
    ir.CreateCondBr(same, loop_bb, chain_bb);
    ir.SetInsertPoint(chain_bb);
    tail_call(b.count);
    ir.SetInsertPoint(stop_bb);
    ir.CreateRet(ir.getInt8(static_cast<u8>(Status::Next)));
    ir.SetInsertPoint(loop_bb);
    llvm::Value* icount = field(offsetof(CpuState, icount));
    ir.CreateStore(ir.CreateAdd(ir.CreateLoad(i64, icount), ir.getInt64(b.count)), icount);
    llvm::Value* budget_p = field(offsetof(CpuState, chain_budget));
    llvm::Value* budget = ir.CreateSub(ir.CreateLoad(i64, budget_p), ir.getInt64(b.count));
    ir.CreateStore(budget, budget_p);
    auto* budget_ok = llvm::BasicBlock::Create(ctx, "budget_ok", blk);
    ir.CreateCondBr(ir.CreateICmpSLE(budget, ir.getInt64(0)), stop_bb, budget_ok);
    ir.SetInsertPoint(budget_ok);
    llvm::Value* heat_p = ir.CreateConstInBoundsGEP1_64(i8, host_ptr(&b), offsetof(Block, heat));
    llvm::Value* heat = ir.CreateSub(ir.CreateLoad(ir.getInt32Ty(), heat_p), ir.getInt32(1));
    ir.CreateStore(heat, heat_p);
    auto* again = llvm::BasicBlock::Create(ctx, "again", blk);
    ir.CreateCondBr(ir.CreateICmpSLE(heat, ir.getInt32(0)), stop_bb, again);
    ir.SetInsertPoint(again);
    ir.CreateStore(nipv, field(offsetof(CpuState, block_ea)));
    ir.CreateBr(top);
  };
  for (u32 k = 0; k < b.count; ++k) {
    auto* sem = llvm::cast<llvm::Function>(vmap[by_op_[static_cast<unsigned>(b.insns[k].op)]]);
    llvm::CallInst* st = ir.CreateCall(sem, {s, ir.getInt32(b.insns[k].raw)});
    st->addRetAttr(llvm::Attribute::ZExt);
    auto* next_bb = llvm::BasicBlock::Create(ctx, "next", blk);
    auto* jump_bb = llvm::BasicBlock::Create(ctx, "jump", blk);
    auto* ret_bb = llvm::BasicBlock::Create(ctx, "ret", blk);
    llvm::SwitchInst* sw = ir.CreateSwitch(st, ret_bb, 2);
    sw->addCase(ir.getInt8(static_cast<u8>(Status::Next)), next_bb);
    sw->addCase(ir.getInt8(static_cast<u8>(Status::Jump)), jump_bb);
    ir.SetInsertPoint(ret_bb);  // Exception: nip stays at this instruction
    ir.CreateRet(st);
    ir.SetInsertPoint(jump_bb);  // the instruction set nip itself
    if (k + 1 == b.count) chain_or_loop();
    else tail_call(k + 1);
    ir.SetInsertPoint(next_bb);
    ir.CreateStore(ir.CreateAdd(ir.CreateLoad(i64, nip), ir.getInt64(4)), nip);
  }
  tail_call(b.count);
  return m;
}

}  // namespace lpar::jit

//! 评价: the national 好差评 grades an applicant gives a service, and the views and answer
//! classes of 人大代表建议 and 政协提案 handling.

use serde::{Deserialize, Serialize};

/// 评价等级: the five grades of 政务服务好差评 (国办发〔2019〕51号), ☆×5 to ☆×1. A 代表's or
/// 委员's view of an answer uses the middle three (满意, 基本满意, 不满意).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 非常满意 (☆×5).
    VerySatisfied,
    /// 满意 (☆×4).
    Satisfied,
    /// 基本满意 (☆×3).
    BasicallySatisfied,
    /// 不满意 (☆×2): a 差评.
    Dissatisfied,
    /// 非常不满意 (☆×1): a 差评.
    VeryDissatisfied,
}

impl Grade {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Grade::VerySatisfied => "非常满意",
            Grade::Satisfied => "满意",
            Grade::BasicallySatisfied => "基本满意",
            Grade::Dissatisfied => "不满意",
            Grade::VeryDissatisfied => "非常不满意",
        }
    }

    /// 差评: 不满意 or 非常不满意, which must be followed up (回访核实 → 整改 → 反馈), and for a
    /// 建议 or 提案 answer, handled again.
    pub fn is_bad(self) -> bool {
        matches!(self, Grade::Dissatisfied | Grade::VeryDissatisfied)
    }

    /// The stars, 5 to 1.
    pub fn stars(self) -> u8 {
        match self {
            Grade::VerySatisfied => 5,
            Grade::Satisfied => 4,
            Grade::BasicallySatisfied => 3,
            Grade::Dissatisfied => 2,
            Grade::VeryDissatisfied => 1,
        }
    }
}

/// 办复类别 of a 建议 or 提案 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AnswerClass {
    /// A: 所提问题已经解决或基本解决.
    A,
    /// B: 正在解决或列入计划解决.
    B,
    /// C: 因条件限制或其他原因暂时不能解决.
    C,
}

impl AnswerClass {
    /// The Chinese description.
    pub fn chinese(self) -> &'static str {
        match self {
            AnswerClass::A => "已解决或基本解决",
            AnswerClass::B => "正在解决或列入计划解决",
            AnswerClass::C => "因条件限制暂时不能解决",
        }
    }
}

/// A step of the follow-up a 差评 requires: 回访核实 → 整改 → 反馈.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStage {
    /// 回访核实: the applicant was called back and the complaint checked.
    Revisited,
    /// 整改: the fault was put right.
    Rectified,
    /// 反馈: the applicant was told what was done; the follow-up ends.
    Reported,
}

impl FollowUpStage {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            FollowUpStage::Revisited => "回访核实",
            FollowUpStage::Rectified => "整改",
            FollowUpStage::Reported => "反馈",
        }
    }
}
